// The netloop chat page: one WebSocket to /ws speaking JSON (see JsonFormat.java).
// Everything from the server goes into the page with textContent, never as markup.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const messages = $('messages');
  const who = $('who');
  const count = $('count');
  const status = $('status');
  const error = $('error');
  const nickInput = $('nick');
  const nickButton = $('nick-button');
  const text = $('text');
  const sendButton = $('send');

  const MAX_ITEMS = 1000;           // older lines are dropped from the page
  const FIRST_RETRY_MS = 500;
  const MAX_RETRY_MS = 30000;

  let socket = null;
  let nick = null;                  // the nickname the server gave us
  let wantedNick = null;            // asked for; asked again after a reconnect
  let online = [];
  let retryMs = FIRST_RETRY_MS;
  let quitting = false;
  let errorTimer = null;

  function socketUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  }

  function connect() {
    setStatus('connecting…', false);
    const ws = new WebSocket(socketUrl());
    socket = ws;
    ws.onopen = () => {
      retryMs = FIRST_RETRY_MS;
      setStatus('connected', true);
      nickButton.disabled = false;
      if (wantedNick !== null) send({ type: 'nick', name: wantedNick });
      else send({ type: 'line', text: '/who' }); // who is here, before choosing a nickname
    };
    ws.onmessage = (e) => {
      let m;
      try {
        m = JSON.parse(e.data);
      } catch (err) {
        showError('the server sent something unreadable: ' + err.message);
        return;
      }
      handle(m);
    };
    ws.onerror = () => showError('connection error: the chat server cannot be reached');
    ws.onclose = (e) => {
      if (socket === ws) socket = null;
      setJoined(null);
      setOnline([]);
      nickButton.disabled = true;
      if (quitting) {
        setStatus('you left the chat; reload the page to come back', false);
        return;
      }
      if (e.code === 1008 && e.reason) showError('disconnected: ' + e.reason);
      const delay = Math.round(retryMs * (0.75 + Math.random() * 0.5)); // jitter: not every page at once
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      setStatus('disconnected; reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s', false);
      setTimeout(connect, delay);
    };
  }

  function send(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      showError('not connected; reconnecting, try again in a moment');
      return false;
    }
    socket.send(JSON.stringify(message));
    return true;
  }

  function handle(m) {
    switch (m.type) {
      case 'said': addLine('said', '<' + m.from + '> ', m.text); break;
      case 'acted': addLine('me', '* ' + m.from + ' ', m.text); break;
      case 'joined':
        addLine('system', '', m.nick + ' joined');
        setOnline(online.concat([m.nick]));
        break;
      case 'left':
        addLine('system', '', m.nick + ' left (' + m.reason + ')');
        setOnline(online.filter((n) => n !== m.nick));
        break;
      case 'renamed':
        addLine('system', '', m.from + ' is now known as ' + m.to);
        setOnline(online.map((n) => (n === m.from ? m.to : n)));
        break;
      case 'online': setOnline(m.nicks); break;
      case 'nickSet': {
        const before = nick;
        setJoined(m.nick);
        wantedNick = m.nick;
        addLine('system', '', 'you are ' + m.nick);
        if (before !== null) setOnline(online.map((n) => (n === before ? m.nick : n)));
        else setOnline(online);
        break;
      }
      case 'notice': addLine('system', '', m.text); break;
      case 'refused':
        addLine('refused', '', m.reason);
        showError(m.reason);
        break;
      case 'goodbye': addLine('system', '', 'disconnected: ' + m.reason); break;
      default: showError('unknown message from the server: ' + m.type);
    }
  }

  function addLine(kind, prefix, body) {
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    const li = document.createElement('li');
    li.className = kind;
    if (prefix) {
      const p = document.createElement('span');
      p.className = 'nick';
      p.textContent = prefix;
      li.appendChild(p);
    }
    const b = document.createElement('span');
    b.className = 'text';
    b.textContent = body;
    li.appendChild(b);
    messages.appendChild(li);
    while (messages.children.length > MAX_ITEMS) messages.removeChild(messages.firstChild);
    if (atBottom) messages.scrollTop = messages.scrollHeight;
  }

  function setOnline(nicks) {
    online = nicks.slice();
    who.replaceChildren(...online.map((n) => {
      const li = document.createElement('li');
      li.textContent = n;
      if (n === nick) li.className = 'self';
      return li;
    }));
    count.textContent = online.length ? '(' + online.length + ')' : '';
  }

  function setJoined(newNick) {
    nick = newNick;
    const joined = newNick !== null;
    text.disabled = !joined;
    sendButton.disabled = !joined;
    text.placeholder = joined ? 'Message as ' + newNick + ' (or /me, /nick, /who, /help)' : 'Choose a nickname first';
    nickButton.textContent = joined ? 'Rename' : 'Join';
    if (joined) {
      nickInput.value = newNick;
      text.focus();
    }
  }

  function setStatus(s, connected) {
    status.textContent = s;
    status.classList.toggle('connected', connected);
  }

  function showError(s) {
    error.textContent = s;
    error.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => { error.hidden = true; }, 8000);
  }

  $('nick-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = nickInput.value.trim();
    if (send({ type: 'nick', name: name })) wantedNick = name;
  });

  $('send-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const line = text.value;
    if (line.trim() === '') return;
    if (/^\/(quit|exit)(\s|$)/i.test(line)) quitting = true;
    if (send({ type: 'line', text: line })) text.value = '';
  });

  nickButton.disabled = true;
  nickInput.focus();
  connect();
})();
