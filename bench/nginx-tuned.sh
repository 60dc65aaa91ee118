# shellcheck shell=bash
# The `nginx-tuned` peer's configuration: nginx as people run it for static files (issue 15):
# sendfile, tcp_nopush, an open-file cache, no access log unless a scenario asks for one, and
# `return 200` for /plaintext. Sourced by bench/http.sh and bench/idle.sh, so that both measure
# the same nginx; not run.

# nginx_tuned_conf DIR PORT WORKERS FDS ROOT BACKLOG [ACCESS_LOG [KEEPALIVE_TIMEOUT]]
# Prints an nginx.conf whose every path is inside DIR (a fresh scratch directory, so that it runs as
# any user and leaves nothing behind): WORKERS worker processes (pinned by the taskset inherited
# from the master), FDS descriptors and connections each, ROOT served under /, 127.0.0.1:PORT.
# ACCESS_LOG is a file to log each request to in the combined format, through a 64 KiB buffer
# flushed at least every second (as busy sites log), or "off" (the default).
nginx_tuned_conf() {
  local dir="$1" port="$2" workers="$3" fds="$4" www="$5" backlog="$6" log="${7:-off}" keepalive="${8:-75s}"
  local log_line="access_log off;"
  [ "$log" = off ] || log_line="access_log $log combined buffer=64k flush=1s;"
  cat <<EOF
daemon off;
worker_processes $workers;
worker_rlimit_nofile $fds;
pid $dir/nginx.pid;
error_log stderr warn;
events {
    worker_connections $fds;
    use epoll;
}
http {
    $log_line
    client_body_temp_path $dir/temp/body;
    proxy_temp_path $dir/temp/proxy;
    fastcgi_temp_path $dir/temp/fastcgi;
    uwsgi_temp_path $dir/temp/uwsgi;
    scgi_temp_path $dir/temp/scgi;
    types {
        text/html html;
    }
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    open_file_cache max=10000 inactive=60s;
    open_file_cache_valid 60s;
    open_file_cache_errors on;
    # The default of 1000 would make nginx alone reconnect in the middle of a run.
    keepalive_requests 1000000000;
    keepalive_timeout $keepalive;
    server {
        listen 127.0.0.1:$port backlog=$backlog;
        root $www;
        location = /plaintext {
            default_type text/plain;
            return 200 'Hello, World!';
        }
    }
}
EOF
}
