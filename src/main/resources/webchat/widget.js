/*
 * Mehery Gateway chat widget: one script tag, no framework.
 *   <script src="https://<gateway>/webchat/<channelId>/widget.js" async
 *           data-title="Chat with us"
 *           data-user-id="..." data-user-hash="..." data-name="..."></script>   (the data-user-* pair is optional)
 * Every text from a message is put in the page as text (textContent), never as markup; links are followed only
 * when they are http(s). The widget lives in a shadow root, so the host page's styles and its own do not mix.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__meheryWebchat) { return; }
  window.__meheryWebchat = true;

  var source = new URL(script.src, document.baseURI);
  var channelId = decodeURIComponent(source.pathname.split('/')[2]);
  var api = source.origin + '/webhooks/website/' + encodeURIComponent(channelId);
  var storeKey = 'mehery-webchat:' + source.origin + ':' + channelId;
  var identity = { userId: script.dataset.userId, userHash: script.dataset.userHash, name: script.dataset.name };
  var title = script.dataset.title || 'Chat with us';

  var state = { token: null, visitorId: null, lastSeq: null, socket: null, live: false, pollEvery: 3000,
    pollTimer: null, retryIn: 1000, open: false, unread: 0, shown: {}, pending: {}, unsent: {},
    receipts: { delivered: [], read: [] },
    acknowledged: { delivered: {}, read: {} }, receiptTimer: null };

  // ---- the page: a bubble and a panel, in a shadow root ----
  var host = document.createElement('div');
  host.id = 'mehery-webchat';
  var root = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent = [
    ':host{all:initial}',
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
    '.bubble{position:fixed;right:20px;bottom:20px;width:60px;height:60px;border-radius:50%;border:0;display:flex;',
    'align-items:center;justify-content:center;',
    'background:#1f5eff;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}',
    '.bubble:focus-visible,button:focus-visible,textarea:focus-visible,.log:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}',
    '.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;border-radius:11px;background:#d4351c;',
    'color:#fff;font-size:13px;line-height:22px;padding:0 6px}',
    '.panel{position:fixed;right:20px;bottom:92px;width:360px;height:520px;max-height:calc(100vh - 112px);display:flex;',
    'flex-direction:column;background:#fff;color:#1b1b1b;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);',
    'overflow:hidden;z-index:2147483000}',
    '.panel[hidden]{display:none}',
    'header{display:flex;align-items:center;justify-content:space-between;background:#1f5eff;color:#fff;padding:12px 14px}',
    'h2{margin:0;font-size:16px;font-weight:600}',
    '.close{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}',
    '.log{flex:1;overflow-y:auto;margin:0;padding:12px;list-style:none;background:#f4f6fb}',
    '.msg{max-width:80%;margin:6px 0;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:14px}',
    '.from-visitor{margin-left:auto;background:#1f5eff;color:#fff;border-bottom-right-radius:3px}',
    '.from-business{margin-right:auto;background:#fff;border:1px solid #dde2ee;border-bottom-left-radius:3px}',
    '.msg p{margin:0}',
    '.msg img{display:block;max-width:100%;border-radius:8px;margin-bottom:4px}',
    '.msg a{color:inherit}',
    '.meta{display:block;font-size:11px;margin-top:3px}',
    '.from-visitor .meta{color:#fff}',
    '.from-business .meta{color:#505a5f}',
    '.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}',
    '.choices button{border:1px solid #1f5eff;background:#fff;color:#1f5eff;border-radius:14px;padding:5px 10px;cursor:pointer;font-size:13px}',
    '.choices button[disabled]{opacity:.5;cursor:default}',
    '.status{margin:0;padding:4px 12px;font-size:12px;color:#505a5f;min-height:22px}',
    'form{display:flex;gap:6px;padding:10px;border-top:1px solid #dde2ee;align-items:flex-end}',
    'textarea{flex:1;resize:none;border:1px solid #b1b4b6;border-radius:8px;padding:8px;font-size:14px;max-height:120px}',
    '.attach{display:inline-flex;align-items:center;justify-content:center;width:38px;height:38px;border:1px solid #b1b4b6;',
    'border-radius:8px;cursor:pointer;color:#505a5f}',
    '.attach svg{width:20px;height:20px}',
    '.attach input{position:absolute;width:1px;height:1px;opacity:0}',
    '.send{height:38px;border:0;border-radius:8px;background:#1f5eff;color:#fff;padding:0 14px;cursor:pointer;font-size:14px}',
    '.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;max-height:100vh;border-radius:0}',
    // the open panel fills a phone's screen: the bubble would cover its Send button, and the header closes it
    '.bubble{right:14px;bottom:14px}.bubble[aria-expanded="true"]{display:none}}'
  ].join('');
  root.appendChild(style);

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /** An icon drawn as SVG: no emoji font is needed on the visitor's device. */
  function icon(path) {
    var svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var shape = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    shape.setAttribute('d', path);
    shape.setAttribute('fill', 'currentColor');
    svg.appendChild(shape);
    return svg;
  }
  var CHAT = 'M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2z';
  var CLIP = 'M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5c0-1.38 1.12-2.5 2.5-2.5s2.5 1.12 2.5 2.5v10.5c0 .55-.45 1-1'
    + ' 1s-1-.45-1-1V6H10v9.5c0 1.38 1.12 2.5 2.5 2.5s2.5-1.12 2.5-2.5V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04'
    + ' 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z';

  var bubble = el('button', { type: 'button', 'class': 'bubble', 'aria-controls': 'mehery-panel',
    'aria-expanded': 'false', 'aria-label': 'Open chat' });
  bubble.appendChild(icon(CHAT));
  var badge = el('span', { 'class': 'badge', 'aria-hidden': 'true', hidden: '' });
  bubble.appendChild(badge);
  var panel = el('section', { id: 'mehery-panel', 'class': 'panel', role: 'dialog', 'aria-labelledby': 'mehery-title',
    hidden: '' });
  var header = el('header');
  header.appendChild(el('h2', { id: 'mehery-title' }, title));
  var close = el('button', { type: 'button', 'class': 'close', 'aria-label': 'Close chat' }, '\u00D7');
  header.appendChild(close);
  var log = el('div', { 'class': 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  var status = el('p', { 'class': 'status', role: 'status' });
  var form = el('form', { 'aria-label': 'Write a message' });
  var input = el('textarea', { id: 'mehery-input', rows: '1', placeholder: 'Write a message\u2026', maxlength: '4096' });
  var inputLabel = el('label', { 'for': 'mehery-input', 'class': 'visually-hidden' }, 'Message');
  var attach = el('label', { 'class': 'attach', title: 'Attach a file' });
  var file = el('input', { type: 'file', 'aria-label': 'Attach a file' });
  attach.appendChild(icon(CLIP));
  attach.appendChild(file);
  var send = el('button', { type: 'submit', 'class': 'send' }, 'Send');
  [inputLabel, input, attach, send].forEach(function (node) { form.appendChild(node); });
  [header, log, status, form].forEach(function (node) { panel.appendChild(node); });
  root.appendChild(panel);
  root.appendChild(bubble);

  // ---- opening and closing, by mouse and keyboard ----
  function setOpen(open) {
    state.open = open;
    panel.hidden = !open;
    bubble.setAttribute('aria-expanded', String(open));
    showUnread();
    if (open) {
      state.unread = 0;
      showUnread();
      input.focus();
      markShownAsRead();
    } else {
      bubble.focus();
    }
  }
  bubble.addEventListener('click', function () { setOpen(!state.open); });
  close.addEventListener('click', function () { setOpen(false); });
  panel.addEventListener('keydown', function (event) { if (event.key === 'Escape') { setOpen(false); } });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  document.addEventListener('visibilitychange', markShownAsRead);

  function showUnread() {
    badge.hidden = state.unread === 0;
    badge.textContent = String(state.unread);
    bubble.setAttribute('aria-label', state.open ? 'Close chat'
      : state.unread ? 'Open chat, ' + state.unread + ' unread' : 'Open chat');
  }

  /**
   * The page's own hook for the visitor: every element of the host page marked data-mehery-visitor-id shows the
   * visitor id (the to.phone of message/send), and data-mehery-gateway the gateway's address; the demo page uses it.
   */
  function showVisitorId() {
    document.querySelectorAll('[data-mehery-visitor-id]').forEach(function (node) {
      node.textContent = state.visitorId;
    });
    document.querySelectorAll('[data-mehery-gateway]').forEach(function (node) { node.textContent = source.origin; });
  }

  // ---- talking to the gateway ----
  function request(method, path, body, headers) {
    var options = { method: method, headers: headers || {} };
    if (state.token) { options.headers.Authorization = 'Bearer ' + state.token; }
    if (body !== undefined) {
      if (body instanceof Blob) { options.body = body; } else {
        options.body = JSON.stringify(body);
        options.headers['Content-Type'] = 'application/json';
      }
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (envelope) {
        if (response.ok) { return envelope.data; }
        var problem = (envelope.errors && envelope.errors[0]) || {};
        var failure = new Error(problem.description || ('The gateway answered ' + response.status));
        failure.status = response.status;
        throw failure;
      });
    });
  }

  function visit() {
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(storeKey) || 'null'); } catch (ignored) { kept = null; }
    var ask = { token: kept && kept.token };
    if (identity.userId) { ask = { userId: identity.userId, userHash: identity.userHash, name: identity.name }; }
    state.token = null;
    return request('POST', '/visitors', ask).then(function (visitData) {
      state.token = visitData.token;
      state.visitorId = visitData.visitorId;
      showVisitorId();
      state.pollEvery = visitData.pollInterval || state.pollEvery;
      try {
        localStorage.setItem(storeKey, JSON.stringify({ token: visitData.token, visitorId: visitData.visitorId }));
      } catch (ignored) { /* private mode: the visit lasts as long as the page */ }
    });
  }

  /** Runs the call again after a new visit when the token was no longer taken. */
  function authorised(call) {
    return call().catch(function (failure) {
      if (failure.status === 401) { return visit().then(call); }
      throw failure;
    });
  }

  function catchUp() {
    // a business message read while still accepted is read again until it is sent, so that it can be acknowledged
    var after = state.lastSeq;
    Object.keys(state.unsent).forEach(function (id) { after = Math.min(after, state.unsent[id] - 1); });
    var query = after === null ? '' : '?after=' + after;
    return authorised(function () { return request('GET', query); }).then(function (conversation) {
      conversation.messages.forEach(render);
    });
  }

  // ---- live: a WebSocket, and polling while it cannot be had ----
  function connect() {
    var socket;
    try {
      socket = new WebSocket(api.replace(/^http/, 'ws') + '/live');
    } catch (blocked) {
      fallBack();
      return;
    }
    state.socket = socket;
    socket.onopen = function () { socket.send(JSON.stringify({ type: 'hello', token: state.token })); };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === 'ready') {
        state.live = true;
        state.retryIn = 1000;
        stopPolling();
        setStatus('');
        catchUp();
      } else if (frame.type === 'message') {
        render(frame.message);
      } else if (frame.type === 'accepted') {
        settle(frame.clientId, frame.id, null);
      } else if (frame.type === 'error') {
        settle(frame.clientId, null, (frame.errors && frame.errors[0] && frame.errors[0].description) || 'Not sent');
      }
    };
    socket.onclose = function (event) {
      state.live = false;
      state.socket = null;
      fallBack();
      var again = event.code === 4401 ? visit() : Promise.resolve();
      var wait = state.retryIn;
      state.retryIn = Math.min(state.retryIn * 2, 30000);
      setTimeout(function () { again.then(connect, connect); }, wait);
    };
  }

  function fallBack() {
    if (state.pollTimer) { return; }
    state.pollTimer = setInterval(function () { catchUp().catch(function () { setStatus('Reconnecting\u2026'); }); },
      state.pollEvery);
  }

  function stopPolling() {
    if (state.pollTimer) { clearInterval(state.pollTimer); state.pollTimer = null; }
  }

  function setStatus(text) { status.textContent = text; }

  // ---- showing messages ----
  function safeUrl(link) {
    try {
      var url = new URL(link, source.origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (invalid) { return null; }
  }

  function time(at) {
    return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function render(message) {
    if (state.lastSeq === null || message.seq > state.lastSeq) { state.lastSeq = message.seq; }
    var shown = state.shown[message.id];
    if (shown) {
      setMeta(shown, message, null);
      acknowledge(message);
      return;
    }
    var item = el('div', { 'class': 'msg from-' + message.from, 'data-id': message.id });
    if (message.file) { item.appendChild(fileOf(message)); }
    if (message.text) { item.appendChild(el('p', { 'class': 'text' }, message.text)); }
    if (message.location) { item.appendChild(placeOf(message.location)); }
    if (message.buttons && message.buttons.length) { item.appendChild(choicesOf(message)); }
    item.appendChild(el('span', { 'class': 'meta' }));
    setMeta(item, message, null);
    state.shown[message.id] = item;
    var pending = message.clientId && state.pending[message.clientId];
    if (pending) {
      // the visitor's own message, as stored: it takes the place of what the widget showed while sending
      delete state.pending[message.clientId];
      pending.replaceWith(item);
    } else {
      log.appendChild(item);
      log.scrollTop = log.scrollHeight;
    }
    if (message.from === 'business' && !state.open && message.status !== 'read') {
      state.unread += 1;
      showUnread();
    }
    acknowledge(message);
  }

  function setMeta(item, message, failure) {
    var meta = item.querySelector('.meta');
    meta.textContent = failure ? 'Not sent: ' + failure : (message ? time(message.at) : 'Sending\u2026');
  }

  function fileOf(message) {
    var attached = message.file;
    var name = attached.filename || attached.caption || 'file';
    var url = message.from === 'visitor' ? null : safeUrl(attached.url);
    if (attached.mimeType && attached.mimeType.indexOf('image/') === 0 || message.type === 'image') {
      var image = el('img', { alt: attached.caption || attached.filename || 'Image' });
      if (url) { image.src = url; } else { withOwnFile(attached.url, function (blobUrl) { image.src = blobUrl; }); }
      return image;
    }
    var link = el('a', { target: '_blank', rel: 'noopener noreferrer', download: name }, name);
    if (url) { link.href = url; } else { withOwnFile(attached.url, function (blobUrl) { link.href = blobUrl; }); }
    return link;
  }

  /** A file the visitor sent is read with the visitor's token, not by a public link. */
  function withOwnFile(path, use) {
    fetch(source.origin + path, { headers: { Authorization: 'Bearer ' + state.token } })
      .then(function (response) { return response.ok ? response.blob() : null; })
      .then(function (blob) { if (blob) { use(URL.createObjectURL(blob)); } });
  }

  function placeOf(location) {
    var label = location.name || location.address || (location.latitude + ', ' + location.longitude);
    var link = el('a', { target: '_blank', rel: 'noopener noreferrer' }, 'Map: ' + label);
    link.href = 'https://www.openstreetmap.org/?mlat=' + encodeURIComponent(location.latitude) + '&mlon='
      + encodeURIComponent(location.longitude);
    return link;
  }

  function choicesOf(message) {
    var group = el('div', { 'class': 'choices', role: 'group', 'aria-label': 'Choices' });
    message.buttons.forEach(function (button) {
      var choice = el('button', { type: 'button' }, button.text);
      choice.addEventListener('click', function () {
        Array.prototype.forEach.call(group.querySelectorAll('button'), function (b) { b.disabled = true; });
        deliver({ action: { messageId: message.id, actionCode: button.actionCode } }, button.text);
      });
      group.appendChild(choice);
    });
    return group;
  }

  // ---- receipts: delivered when the widget has a message, read when its panel shows it ----
  function acknowledge(message) {
    if (message.from !== 'business') { return; }
    if (message.status === 'accepted') {
      state.unsent[message.id] = message.seq;
      return;
    }
    delete state.unsent[message.id];
    queueReceipt('delivered', message);
    if (state.open && document.visibilityState === 'visible') { queueReceipt('read', message); }
  }

  function markShownAsRead() {
    if (!state.open || document.visibilityState !== 'visible') { return; }
    Object.keys(state.shown).forEach(function (id) {
      var item = state.shown[id];
      if (item.classList.contains('from-business')) { queueReceipt('read', { id: id, status: 'sent' }); }
    });
  }

  function queueReceipt(kind, message) {
    if (state.acknowledged[kind][message.id] || message.status === kind || message.status === 'read') { return; }
    state.acknowledged[kind][message.id] = true;
    state.receipts[kind].push(message.id);
    if (!state.receiptTimer) { state.receiptTimer = setTimeout(flushReceipts, 300); }
  }

  function flushReceipts() {
    state.receiptTimer = null;
    ['delivered', 'read'].forEach(function (kind) {
      var ids = state.receipts[kind].splice(0, 100);
      if (!ids.length) { return; }
      var receipt = { type: 'receipt', status: kind, ids: ids };
      if (state.live) { state.socket.send(JSON.stringify(receipt)); } else {
        authorised(function () { return request('POST', '/receipts', { status: kind, ids: ids }); })
          .catch(function () { /* the next visit acknowledges again */ });
      }
      if (state.receipts[kind].length) { state.receiptTimer = setTimeout(flushReceipts, 300); }
    });
  }

  // ---- writing ----
  function newClientId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function pendingItem(clientId, text) {
    var item = el('div', { 'class': 'msg from-visitor', 'data-client-id': clientId });
    item.appendChild(el('p', { 'class': 'text' }, text));
    item.appendChild(el('span', { 'class': 'meta' }));
    setMeta(item, null, null);
    state.pending[clientId] = item;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function settle(clientId, id, failure) {
    var item = state.pending[clientId];
    if (!item) { return; }
    if (failure) { setMeta(item, null, failure); delete state.pending[clientId]; return; }
    // shown as stored when the gateway's copy arrives (at once when live, at the next read otherwise)
    item.dataset.id = id;
    item.querySelector('.meta').textContent = time(Date.now());
    if (!state.live) { catchUp(); }
  }

  function deliver(content, shownText) {
    var clientId = newClientId();
    pendingItem(clientId, shownText);
    var message = Object.assign({ clientId: clientId }, content);
    if (state.live) {
      state.socket.send(JSON.stringify(Object.assign({ type: 'message' }, message)));
      return;
    }
    authorised(function () { return request('POST', '', message); }).then(function (accepted) {
      settle(clientId, accepted.id, null);
    }, function (failure) { settle(clientId, null, failure.message); });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = '';
    deliver({ text: text }, text);
  });

  file.addEventListener('change', function () {
    var chosen = file.files && file.files[0];
    file.value = '';
    if (!chosen) { return; }
    var clientId = newClientId();
    pendingItem(clientId, 'File: ' + chosen.name);
    var query = '/files?clientId=' + clientId + '&filename=' + encodeURIComponent(chosen.name);
    authorised(function () {
      return request('POST', query, chosen, { 'Content-Type': chosen.type || 'application/octet-stream' });
    }).then(function (accepted) { settle(clientId, accepted.id, null); },
      function (failure) { settle(clientId, null, failure.message); });
  });

  // ---- start ----
  function start() {
    document.body.appendChild(host);
    visit().then(catchUp).then(function () {
      if (typeof WebSocket === 'function') { connect(); } else { fallBack(); }
    }).catch(function (failure) {
      setStatus('Chat is unavailable: ' + failure.message);
    });
  }
  if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }
}());
