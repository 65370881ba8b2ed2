'use strict';
// The operator console and the tenant portal: one page, no framework. Every text from the gateway is put into the
// page as text (textContent), never as markup. Every call goes to the gateway's own API with the session cookie;
// a change also carries the session's CSRF token.
(() => {
  const REFRESH_MS = 5000;
  const state = { session: null, timers: [], charts: [], renderId: 0 };

  // --- the page's building blocks ------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (name.startsWith('on')) {
        node.addEventListener(name.slice(2), value);
      } else if (name === 'class') {
        node.className = value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  /** Puts the children into {@code node} in place of what it held; absent ones (null, false) are left out. */
  function replace(node, ...children) {
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  function add(node, ...children) {
    node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  }

  function time(ms) {
    return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '';
  }

  function ago(ms) {
    if (!ms) {
      return '';
    }
    const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (seconds < 120) {
      return seconds + ' s ago';
    }
    return seconds < 7200 ? Math.round(seconds / 60) + ' min ago' : Math.round(seconds / 3600) + ' h ago';
  }

  function number(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) {
      return '–';
    }
    return Number(value).toLocaleString('en', { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  /** A table that scrolls sideways on a narrow screen; the region takes focus so that a keyboard can scroll it. */
  function table(label, headers, rows) {
    return el('div', { class: 'scroll', role: 'region', 'aria-label': label, tabindex: 0 },
      el('table', {},
        el('caption', { class: 'visually-hidden' }, label),
        el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: headers.length }, 'Nothing yet.')))));
  }

  function row(...cells) {
    return el('tr', {}, cells.map((c) => el('td', {}, c)));
  }

  function badge(text) {
    return el('span', { class: 'badge badge-' + String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-') }, text);
  }

  function field(label, input, hint) {
    const id = input.id || ('f-' + Math.random().toString(36).slice(2));
    input.id = id;
    return el('div', { class: 'field' }, el('label', { for: id }, label), input, hint ? el('small', {}, hint) : null);
  }

  function select(name, options, value) {
    return el('select', { name }, options.map(([v, text]) => el('option', { value: v, selected: v === value }, text)));
  }

  function input(name, value, attrs) {
    return el('input', Object.assign({ name, value: value || '' }, attrs || {}));
  }

  function say(text) {
    const status = document.getElementById('status');
    status.textContent = text;
    clearTimeout(state.sayTimer);
    state.sayTimer = setTimeout(() => { status.textContent = ''; }, 6000);
  }

  function problemBox(failure) {
    const errors = failure.envelope && failure.envelope.errors && failure.envelope.errors.length
      ? failure.envelope.errors.map((e) => (e.description || e.code)) : [failure.message];
    return el('div', { class: 'error', role: 'alert' }, errors.map((e) => el('p', {}, e)));
  }

  function link(text, hash) {
    return el('a', { href: hash }, text);
  }

  function confirmDialog(title, text, okText, extra) {
    const dialog = document.getElementById('confirm');
    document.getElementById('confirm-title').textContent = title;
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-ok').textContent = okText;
    const more = document.getElementById('confirm-extra');
    replace(more, extra);
    return new Promise((resolve) => {
      dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
      dialog.returnValue = '';
      dialog.showModal();
    });
  }

  // --- the API -----------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, envelope) {
      super((envelope && envelope.message) || ('The gateway answered ' + status));
      this.status = status;
      this.envelope = envelope;
    }
  }

  async function api(method, path, body) {
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = state.session.csrfToken;
    }
    let payload;
    if (typeof body === 'string') {
      headers['Content-Type'] = 'application/yaml';
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', cache: 'no-store' });
    const text = await response.text();
    let envelope = null;
    try {
      envelope = text ? JSON.parse(text) : null;
    } catch (notJson) {
      envelope = null;
    }
    if (response.status === 401) {
      location.replace('/console');
    }
    if (!response.ok) {
      throw new ApiError(response.status, envelope);
    }
    return envelope;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && v !== undefined && v !== '') {
        q.set(k, v);
      }
    }
    const text = q.toString();
    return text ? '?' + text : '';
  }

  const operator = () => state.session.role === 'operator';
  /** The tenant a call acts on: the operator names it, a tenant's session is its own. */
  const scoped = (tenant) => (operator() && tenant ? { tenant } : {});

  // --- pages and routing -----------------------------------------------------------------------------------------

  const PAGES = [
    { id: 'overview', title: 'Overview', operatorOnly: true, render: overviewPage },
    { id: 'tenants', title: 'Tenants', portalTitle: 'Webhook', render: tenantsPage },
    { id: 'deliveries', title: 'Deliveries', render: deliveriesPage },
    { id: 'conversations', title: 'Conversations', render: conversationsPage },
    { id: 'routes', title: 'Routes and channels', operatorOnly: true, render: routesPage },
    { id: 'configuration', title: 'Configuration', operatorOnly: true, render: configurationPage }
  ];
  const VIEWS = { delivery: deliveryView, message: messageView };

  function visiblePages() {
    return PAGES.filter((p) => operator() || !p.operatorOnly);
  }

  function go(page, params) {
    location.hash = '#/' + page + query(params || {});
  }

  function route() {
    const hash = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
    const [path, search] = hash.split('?');
    const [page, id] = path.split('/');
    return { page: page || visiblePages()[0].id, id: id ? decodeURIComponent(id) : null,
      params: new URLSearchParams(search || '') };
  }

  async function render() {
    state.timers.forEach(clearInterval);
    state.timers = [];
    state.charts.forEach((chart) => chart.destroy());
    state.charts = [];
    const renderId = ++state.renderId;
    const { page, id, params } = route();
    const known = visiblePages().find((p) => p.id === page);
    document.querySelectorAll('#nav a').forEach((a) => {
      if (a.dataset.page === page) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    });
    const main = document.getElementById('page');
    const view = VIEWS[page];
    if (!known && !view) {
      replace(main, el('h1', {}, 'Not here'), el('p', {}, 'This page is not part of your console.'));
      return;
    }
    document.title = (known ? titleOf(known) : page) + ' - Mehery Gateway console';
    const content = el('div', {});
    replace(main, content);
    try {
      await (known ? known.render(content, params) : view(content, id, params));
    } catch (failure) {
      if (renderId === state.renderId) {
        add(content, problemBox(failure));
      }
    }
  }

  function titleOf(page) {
    return !operator() && page.portalTitle ? page.portalTitle : page.title;
  }

  /** Runs {@code work} now and every few seconds while its page is shown. */
  function every(work, ms) {
    const renderId = state.renderId;
    const run = () => (renderId === state.renderId ? work().catch((failure) => say(failure.message)) : undefined);
    state.timers.push(setInterval(run, ms || REFRESH_MS));
    return run();
  }

  // --- Overview ----------------------------------------------------------------------------------------------------

  async function overviewPage(root) {
    const cards = el('dl', { class: 'cards' });
    const throughput = el('figure', { class: 'chart', id: 'chart-throughput' });
    const lag = el('figure', { class: 'chart', id: 'chart-lag' });
    const backlog = el('figure', { class: 'chart', id: 'chart-backlog' });
    const instances = el('div', {});
    const shown = el('select', { name: 'instance' }, el('option', { value: '' }, 'All instances together'));
    add(root, el('h1', {}, 'Overview'),
      el('p', { class: 'lead' }, 'The last 15 minutes, updated every few seconds.'),
      el('div', { class: 'filters' }, field('Show', shown)),
      cards, el('div', { class: 'charts' }, throughput, lag, backlog), el('h2', {}, 'Instances'), instances);
    const charts = {
      throughput: chart(throughput, 'Per second', [['Accepts', '#2463eb'], ['Sends', '#0f8a5f'],
        ['Callbacks', '#b45309']]),
      lag: chart(lag, 'Accept → callback lag (ms)', [['p50', '#7c3aed'], ['p99', '#be123c']]),
      backlog: chart(backlog, 'Backlogs', [['Outbox', '#475569'], ['Callbacks to make', '#b45309']])
    };
    let overview = null;
    const draw = () => {
      const one = overview.instances.find((i) => i.instance === shown.value);
      const together = one ? one.series : overview.together;
      const last = (series) => (series.length ? series[series.length - 1] : null);
      const latest = (name) => last(together[name] || []);
      replace(cards, 
        tile('Accepts/s', number(latest('acceptsPerSecond'))),
        tile('Sends/s', number(latest('sendsPerSecond'))),
        tile('Callbacks/s', number(latest('callbacksPerSecond'))),
        tile('Lag p50 / p99', number(latest('lagP50Millis'), 0) + ' / ' + number(latest('lagP99Millis'), 0) + ' ms'),
        tile('Outbox backlog', number(latest('outboxBacklog'), 0)),
        tile('Callbacks to make', number(latest('callbackBacklog'), 0)),
        tile('Dead letters, last hour', number(overview.deadLettersLastHour, 0)));
      const x = together.at.map((ms) => ms / 1000);
      charts.throughput.show([x, together.acceptsPerSecond, together.sendsPerSecond, together.callbacksPerSecond]);
      charts.lag.show([x, together.lagP50Millis, together.lagP99Millis]);
      charts.backlog.show([x, together.outboxBacklog, together.callbackBacklog]);
      replace(instances, table('Instances', ['Instance', 'Configuration version', 'Accepts/s', 'Sends/s',
        'Callbacks/s', 'Started', 'Last seen'], overview.instances.map((i) => row(i.instance,
        el('span', {}, String(i.version), ' ', i.current ? badge('current') : badge('behind')),
        number(i.acceptsPerSecond), number(i.sendsPerSecond), number(i.callbacksPerSecond), time(i.startedAt),
        ago(i.seenAt)))));
    };
    shown.addEventListener('change', () => overview && draw());
    await every(async () => {
      overview = (await api('GET', '/api/v1/admin/overview')).data;
      const options = [''].concat(overview.instances.map((i) => i.instance));
      if (options.join('\n') !== Array.from(shown.options).map((o) => o.value).join('\n')) {
        const chosen = shown.value;
        replace(shown, options.map((id) => el('option', { value: id, selected: id === chosen },
          id || 'All instances together')));
      }
      draw();
    });
  }

  function card(label, value) {
    return [el('dt', {}, label), el('dd', {}, value)];
  }

  function tile(label, value) {
    return el('div', { class: 'tile' }, el('dt', {}, label), el('dd', {}, value));
  }

  /** A uPlot chart of time series; its figure says in words what it shows, for those who do not see it. */
  function chart(figure, title, series) {
    const caption = el('figcaption', {}, title);
    const plot = el('div', { class: 'plot', role: 'img', 'aria-label': title + ': no figures yet' });
    add(figure, caption, plot);
    let uplot = null;
    const size = () => ({ width: Math.max(260, plot.clientWidth || figure.clientWidth || 320), height: 180 });
    return {
      show(data) {
        figure.dataset.points = String(data[0].length);
        figure.dataset.last = JSON.stringify(data.slice(1).map((s) => (s.length ? s[s.length - 1] : null)));
        plot.setAttribute('aria-label', title + ', latest: ' + series.map(([name], i) =>
          name + ' ' + number(data[i + 1].length ? data[i + 1][data[i + 1].length - 1] : null)).join(', '));
        if (typeof window.uPlot !== 'function') {
          return;
        }
        if (!uplot) {
          uplot = new window.uPlot(Object.assign(size(), {
            legend: { live: false },
            series: [{}].concat(series.map(([label, stroke]) => ({ label, stroke, width: 2, spanGaps: true }))),
            axes: [{}, { size: 60 }]
          }), data, plot);
          state.charts.push(uplot);
        } else {
          uplot.setData(data);
          uplot.setSize(size());
        }
      }
    };
  }

  // --- Tenants -----------------------------------------------------------------------------------------------------

  async function tenantsPage(root) {
    const list = el('div', {});
    add(root, el('h1', {}, operator() ? 'Tenants and webhooks' : 'Your webhook'),
      el('p', { class: 'lead' }, 'Each webhook\'s state, its callbacks in the last five minutes and what waits.'),
      list);
    await every(async () => {
      const tenants = (await api('GET', '/api/v1/admin/tenants')).results;
      const headers = ['Tenant', 'Webhook', 'State', 'Since', 'Reason', 'Callbacks/min', 'Errors',
        'To make', 'Oldest waiting'];
      if (operator()) {
        headers.push('Actions');
      }
      replace(list, table('Tenants', headers, tenants.map((t) => {
        const cells = [t.id, t.webhook || el('em', {}, 'none'), badge(t.state), time(t.since), t.reason || '',
          number(t.callbacksPerMinute), t.errorRate === null ? '–' : number(t.errorRate * 100) + ' %',
          number(t.backlog, 0), ago(t.oldestPendingAt)];
        if (operator()) {
          cells.push(t.state === 'paused'
            ? el('button', { type: 'button', 'aria-label': 'Resume ' + t.id, onclick: () => resume(t.id) }, 'Resume')
            : el('button', { type: 'button', 'aria-label': 'Pause ' + t.id, disabled: !t.webhook,
              onclick: () => pause(t.id) }, 'Pause'));
        }
        return row(...cells);
      })));
    });
  }

  async function pause(tenant) {
    const reason = input('reason', '', { maxlength: 500 });
    const ok = await confirmDialog('Pause ' + tenant + '?', 'Its callbacks are held, none dropped, until resumed.',
      'Pause', field('Reason (shown with the state)', reason));
    if (ok) {
      await act(() => api('POST', '/api/v1/admin/webhook/pause' + query({ tenant }),
        reason.value ? { reason: reason.value } : {}), 'Paused ' + tenant);
    }
  }

  async function resume(tenant) {
    await act(() => api('POST', '/api/v1/admin/webhook/resume' + query({ tenant })), 'Resumed ' + tenant);
  }

  async function act(call, done) {
    try {
      await call();
      say(done);
    } catch (failure) {
      say(failure.message);
    }
    render();
  }

  // --- Deliveries --------------------------------------------------------------------------------------------------

  const STATUSES = [['', 'Any status'], ['PENDING', 'Pending'], ['WAITING', 'Waiting for a webhook'], ['HELD', 'Held (paused)'],
    ['DELIVERED', 'Delivered'], ['DEAD', 'Dead letter']];
  const KINDS = [['', 'Any kind'], ['message.receive', 'message.receive'], ['contact.info', 'contact.info'],
    ['action.event', 'action.event']];
  const CLASSES = [['', 'Any answer'], ['2xx', '2xx'], ['4xx', '4xx'], ['5xx', '5xx'], ['none', 'No answer']];
  const FILTERS = ['tenant', 'status', 'kind', 'statusClass', 'messageId', 'contactId', 'webhookId', 'from', 'to'];

  async function deliveriesPage(root, params) {
    const form = el('form', { class: 'filters', 'aria-label': 'Search the deliveries' },
      operator() ? field('Tenant', input('tenant', params.get('tenant'), { placeholder: 'every tenant' })) : null,
      field('Status', select('status', STATUSES, params.get('status') || '')),
      field('Kind', select('kind', KINDS, params.get('kind') || '')),
      field('Last answer', select('statusClass', CLASSES, params.get('statusClass') || '')),
      field('Message id', input('messageId', params.get('messageId'), { spellcheck: false })),
      field('Contact id', input('contactId', params.get('contactId'), { spellcheck: false })),
      field('Webhook id', input('webhookId', params.get('webhookId'), { spellcheck: false })),
      field('Planned from (UTC)', input('from', params.get('from'), { placeholder: '2026-12-04T10:00:00Z' })),
      field('Planned before (UTC)', input('to', params.get('to'), { placeholder: '2026-12-04T11:00:00Z' })),
      el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Search')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      go('deliveries', Object.fromEntries(FILTERS.map((f) => [f, (data.get(f) || '').trim()])));
    });
    const results = el('div', {});
    add(root, el('h1', {}, 'Deliveries'), form, results, recoverySection(params));
    const searched = Object.fromEntries(FILTERS.map((f) => [f, params.get(f)]));
    await page(results, searched, params.get('cursor'));
  }

  async function page(results, searched, cursor) {
    const answer = await api('GET', '/api/v1/admin/deliveries' + query(Object.assign({}, searched, { cursor })));
    const rows = answer.results.map((d) => row(time(d.createdAt), d.tenantId,
      d.kind, badge(d.status), d.messageId ? link(d.messageId, '#/message/' + encodeURIComponent(d.messageId)
        + query(scoped(d.tenantId))) : '', String(d.attempts.length), d.lastError || '',
      el('span', { class: 'row-actions' },
        el('a', { href: '#/delivery/' + encodeURIComponent(d.webhookId) + query(scoped(d.tenantId)),
          'aria-label': 'Details of ' + d.webhookId }, 'Details'),
        d.status === 'DEAD' ? el('button', { type: 'button', 'aria-label': 'Replay ' + d.webhookId,
          onclick: () => replay(d) }, 'Replay') : null)));
    replace(results, el('p', { class: 'count' }, answer.results.length + ' shown' + (cursor ? ', a later page' : '')),
      table('Deliveries found', ['Planned', 'Tenant', 'Kind', 'Status', 'Message', 'Attempts', 'Last error', ''], rows),
      answer.meta && answer.meta.nextCursor
        ? el('button', { type: 'button', onclick: () => go('deliveries', Object.assign({}, searched,
          { cursor: answer.meta.nextCursor })) }, 'Older deliveries') : null);
  }

  async function replay(d) {
    await act(() => api('POST', '/api/v1/admin/dead-letters/' + encodeURIComponent(d.webhookId) + '/replay'
      + query(scoped(d.tenantId))), 'Replayed ' + d.webhookId + ': it is delivered again');
    go('delivery/' + encodeURIComponent(d.webhookId), scoped(d.tenantId));
  }

  function recoverySection(params) {
    const tenant = input('tenant', params.get('tenant'), { required: operator() });
    const from = input('from', '', { required: true, placeholder: '2026-12-04T08:00:00Z' });
    const to = input('to', '', { placeholder: 'now' });
    const scope = select('status', [['dead', 'Dead letters'], ['undelivered', 'Dead or waiting for a retry']], 'dead');
    const outcome = el('div', { 'aria-live': 'polite' });
    const form = el('form', { class: 'filters', 'aria-label': 'Recover a time range' },
      operator() ? field('Tenant', tenant) : null, field('Planned from (UTC)', from), field('Planned before (UTC)', to),
      field('What', scope),
      el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Count what would be recovered')));
    const body = () => Object.assign({ from: from.value.trim(), status: scope.value }, to.value.trim()
      ? { to: to.value.trim() } : {});
    const path = () => '/api/v1/admin/deliveries/recover' + query(scoped(tenant.value.trim()));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      replace(outcome);
      try {
        const count = (await api('POST', path(), Object.assign(body(), { dryRun: true }))).data.count;
        add(outcome, el('p', {}, count + ' callbacks would be delivered again.'), count > 0
          ? el('button', { type: 'button', onclick: () => startRecovery(path(), body(), tenant.value.trim(), outcome) },
            'Recover ' + count + ' callbacks') : null);
      } catch (failure) {
        add(outcome, problemBox(failure));
      }
    });
    return el('section', { 'aria-labelledby': 'recovery-title' },
      el('h2', { id: 'recovery-title' }, 'Recover a time range'),
      el('p', {}, 'Every dead (or undelivered) callback planned in the range goes out again, with a new round of retries.'),
      form, outcome);
  }

  async function startRecovery(path, body, tenant, outcome) {
    try {
      const begun = (await api('POST', path, body)).data;
      const progress = el('p', { class: 'progress' });
      const cancel = el('button', { type: 'button' }, 'Cancel the recovery');
      const show = (r) => {
        progress.textContent = 'Recovery ' + r.id + ': ' + r.state + ', ' + r.recovered + ' of ' + r.total + ' sent on.';
        cancel.hidden = r.state !== 'running';
      };
      cancel.addEventListener('click', async () => show((await api('POST', '/api/v1/admin/recoveries/'
        + encodeURIComponent(begun.id) + '/cancel' + query(scoped(tenant)))).data));
      replace(outcome, progress, cancel);
      show(begun);
      every(async () => show((await api('GET', '/api/v1/admin/recoveries/' + encodeURIComponent(begun.id)
        + query(scoped(tenant)))).data), 2000);
    } catch (failure) {
      replace(outcome, problemBox(failure));
    }
  }

  async function deliveryView(root, id, params) {
    const tenant = params.get('tenant');
    const show = async () => {
      const d = (await api('GET', '/api/v1/admin/deliveries/' + encodeURIComponent(id) + query(scoped(tenant)))).data;
      replace(root, el('h1', {}, 'Callback ', el('code', {}, d.webhookId)),
        el('dl', { class: 'facts' },
          ...card('Status', badge(d.status)), ...card('Tenant', d.tenantId), ...card('Kind', d.kind),
          ...card('Message', d.messageId ? link(d.messageId, '#/message/' + encodeURIComponent(d.messageId)
            + query(scoped(d.tenantId))) : '–'),
          ...card('Conversation', d.sessionId ? link(d.sessionId, '#/conversations' + query(Object.assign(
            { session: d.sessionId }, scoped(d.tenantId)))) : '–'),
          ...card('Planned', time(d.createdAt)), ...card('Delivered', time(d.deliveredAt) || '–'),
          ...card('Next attempt', time(d.nextAttemptAt) || '–'), ...card('Last error', d.lastError || '–')),
        d.status === 'DEAD' ? el('button', { type: 'button', onclick: () => replay(d) }, 'Replay this callback') : null,
        el('h2', {}, 'Attempts'),
        table('Attempts', ['#', 'When', 'Answer', 'Latency', 'Error', 'Instance', 'URL'], d.attempts.map((a) =>
          row(String(a.attempt), time(a.attemptedAt), a.statusCode === null ? 'none' : String(a.statusCode),
            a.latencyMs + ' ms', a.error || '', a.instance || '', a.url))),
        el('h2', {}, 'Payload'),
        el('pre', { class: 'payload', tabindex: 0, role: 'region', 'aria-label': 'Payload' },
          d.payload ? JSON.stringify(d.payload, null, 2) : 'Rendered at its first attempt.'));
    };
    await every(show);
  }

  async function messageView(root, id, params) {
    const timeline = (await api('GET', '/api/v1/admin/messages/' + encodeURIComponent(id) + '/timeline'
      + query(scoped(params.get('tenant'))))).data;
    add(root, el('h1', {}, 'Message ', el('code', {}, timeline.messageId)),
      el('dl', { class: 'facts' }, ...card('Tenant', timeline.tenantId), ...card('Direction', timeline.direction),
        ...card('Channel', timeline.channelId), ...card('Type', timeline.type), ...card('Status', badge(timeline.status)),
        ...card('Conversation', link(timeline.sessionId, '#/conversations' + query(Object.assign(
          { session: timeline.sessionId }, scoped(timeline.tenantId)))))),
      el('h2', {}, 'Timeline'),
      el('ol', { class: 'timeline' }, timeline.timeline.map((e) => el('li', {},
        el('time', {}, time(e.at)), ' ', el('strong', {}, e.event), ' ',
        e.kind ? e.kind + ' ' : '', e.attempt ? 'attempt ' + e.attempt + ' ' : '',
        e.statusCode ? 'answered ' + e.statusCode + ' ' : '', e.latencyMs !== undefined ? e.latencyMs + ' ms ' : '',
        e.error ? el('span', { class: 'error-text' }, e.error) : '', e.detail ? ' ' + e.detail : '',
        e.webhookId ? el('span', {}, ' ', link('callback ' + e.webhookId, '#/delivery/'
          + encodeURIComponent(e.webhookId) + query(scoped(timeline.tenantId)))) : ''))));
  }

  // --- Conversations -----------------------------------------------------------------------------------------------

  async function conversationsPage(root, params) {
    const session = input('session', params.get('session'), { required: true, spellcheck: false });
    const tenant = input('tenant', params.get('tenant'), { required: operator() });
    const form = el('form', { class: 'filters', 'aria-label': 'Open a conversation' },
      operator() ? field('Tenant', tenant) : null, field('Session id', session,
        'A delivery or a message timeline links to its conversation.'),
      el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Open')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      go('conversations', Object.assign({ session: session.value.trim() }, scoped(tenant.value.trim())));
    });
    add(root, el('h1', {}, 'Conversations'), form);
    if (!params.get('session')) {
      return;
    }
    const messages = (await api('GET', '/api/v1/session/messages' + query(Object.assign(
      { sessionId: params.get('session') }, scoped(params.get('tenant')))))).results;
    const contact = messages.length ? messages[0].contact : null;
    add(root, el('h2', {}, 'Session ', el('code', {}, params.get('session')),
      contact ? ' with ' + (contact.name || contact.csid || contact.contactId) : ''),
    el('ol', { class: 'conversation' }, messages.map((m) => {
      const inbound = m.meta && m.meta.direction === 'inbound';
      return el('li', { class: inbound ? 'from-contact' : 'from-business' },
        el('div', { class: 'meta' }, el('time', {}, time(m.timestamp)), ' ', inbound ? (m.name || m.sender || 'contact')
          : 'business', ' · ', m.type, ' · ', badge(m.status || 'accepted'),
        m.meta && m.meta.masked ? ' · masked' : ''),
        m.text ? el('p', { class: 'text' }, m.text) : null,
        (m.attachments || []).map((a) => el('p', { class: 'attachment' }, 'Attachment: ', a.mediaName || a.mediaType || '',
          a.mediaMimeType ? ' (' + a.mediaMimeType + ')' : '', a.mediaCaption ? ' – ' + a.mediaCaption : '')),
        el('div', { class: 'meta' }, link('timeline', '#/message/' + encodeURIComponent(m.messageId)
          + query(scoped(params.get('tenant'))))));
    })));
  }

  // --- Routes and channels -----------------------------------------------------------------------------------------

  async function routesPage(root) {
    const routes = el('div', {});
    const channels = el('div', {});
    add(root, el('h1', {}, 'Routes and channels'),
      el('p', { class: 'lead' }, 'This instance\'s Camel routes with Camel\'s own statistics, and each channel\'s provider calls.'),
      el('h2', {}, 'Routes'), routes, el('h2', {}, 'Channels'), channels);
    await every(async () => {
      const [r, c] = await Promise.all([api('GET', '/api/v1/admin/routes'), api('GET', '/api/v1/admin/channels')]);
      replace(routes, table('Routes', ['Route', 'State', 'Exchanges', 'Failed', 'In flight', 'Mean', 'Max',
        'From', 'Source'], r.results.map((x) => row(x.id, badge(x.state), number(x.exchanges, 0), number(x.failed, 0),
        number(x.inflight, 0), number(x.meanMillis) + ' ms', number(x.maxMillis) + ' ms', x.from, x.source || ''))));
      replace(channels, table('Channels', ['Channel', 'Tenant', 'Type', 'Lane', 'Provider calls'],
        c.results.map((x) => row(x.id, x.tenant, x.type, x.lane || '', Object.entries(x.providerCalls || {})
          .map(([outcome, count]) => outcome + ': ' + count).join(', ') || 'none yet'))));
    });
  }

  // --- Configuration -----------------------------------------------------------------------------------------------

  async function configurationPage(root) {
    const versions = el('div', {});
    const instances = el('div', {});
    const diff = el('div', { 'aria-live': 'polite' });
    const documentText = el('textarea', { name: 'document', rows: 9, spellcheck: false, 'aria-describedby': 'doc-hint' });
    const outcome = el('div', { 'aria-live': 'polite' });
    const editor = el('form', { class: 'editor', 'aria-label': 'Validate or apply a configuration document' },
      el('label', { for: 'document' }, 'Configuration document'),
      el('small', { id: 'doc-hint' }, 'The mehery: section of application.yaml (YAML or JSON): its tenants, channels'
        + ' and templates are all those that shall run.'),
      documentText,
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: () => check('validate') }, 'Validate'),
        el('button', { type: 'button', onclick: () => check('apply') }, 'Apply')));
    documentText.id = 'document';
    add(root, el('h1', {}, 'Configuration'), el('h2', {}, 'Versions'), versions, diff,
      el('h2', {}, 'Instances'), instances, el('h2', {}, 'Change it'), editor, outcome);

    async function check(action) {
      replace(outcome);
      const text = documentText.value;
      if (!text.trim()) {
        add(outcome, el('p', { class: 'error', role: 'alert' }, 'Write or paste a document first.'));
        return;
      }
      try {
        if (action === 'apply') {
          // checked first: a refused document shows its problems at their lines, and is not sent to apply
          const checked = (await api('POST', '/api/v1/admin/config/validate', text)).data;
          if (!checked.valid) {
            add(outcome, el('p', { class: 'error', role: 'alert' }, 'Refused: nothing was applied.'),
              problemsAtLines(text, checked.problemLines || [], checked.problems));
            outcome.scrollIntoView({ block: 'start' });
            return;
          }
          if (!(await confirmDialog('Apply this document?', 'It runs at once on every instance.', 'Apply'))) {
            return;
          }
        }
        const data = (await api('POST', '/api/v1/admin/config/' + action, text)).data;
        const refused = data.problems && data.problems.length;
        add(outcome, el('p', { class: refused ? 'error' : 'ok' }, action === 'apply'
          ? 'Applied as version ' + data.version + '.' : refused ? 'Refused.' : 'Valid.'),
        refused ? problemsAtLines(text, data.problemLines || [], data.problems) : null,
        data.changes && data.changes.length ? el('details', { open: !refused }, el('summary', {},
          'What it ' + (action === 'apply' ? 'changed' : 'would change') + ' (' + data.changes.length + ')'),
        changesList(data.changes)) : null);
        if (action === 'apply') {
          loadVersions();
        }
        outcome.scrollIntoView({ block: 'start' });
      } catch (failure) {
        const data = failure.envelope && failure.envelope.data;
        add(outcome, el('p', { class: 'error', role: 'alert' }, failure.message));
        if (data && data.problems) {
          add(outcome, problemsAtLines(text, data.problemLines || [], data.problems));
        } else if (failure.envelope && failure.envelope.errors) {
          add(outcome, problemsAtLines(text, failure.envelope.errors.map((e) => ({ line: lineIn(e.description),
            problem: e.description })), failure.envelope.errors.map((e) => e.description)));
        }
      }
    }

    async function loadVersions() {
      const [list, seen] = await Promise.all([api('GET', '/api/v1/admin/config/versions'),
        api('GET', '/api/v1/admin/config/instances')]).then(([v, i]) => [v.results, i.results]);
      const running = seen.filter((i) => i.current).map((i) => i.version)[0];
      replace(versions, table('Configuration versions', ['Version', 'When', 'Source', 'Outcome', 'Changes',
        'Problems', 'Actions'], list.map((v) => row(String(v.version), time(v.createdAt), v.source, badge(v.outcome),
        changesList(v.changes), (v.problems || []).join('; '),
        el('span', { class: 'row-actions' },
          el('button', { type: 'button', onclick: () => showDiff(v.version) }, 'Diff ' + v.version + ' with running'),
          (v.outcome === 'applied' || v.outcome === 'rolled-back') && v.version !== running ? el('button', {
            type: 'button', onclick: () => rollback(v.version) }, 'Roll back to ' + v.version) : null)))));
      replace(instances, table('Instances and their versions', ['Instance', 'Version', 'Current', 'Problems',
        'Last seen'], seen.map((i) => row(i.instance, String(i.version), i.current ? 'yes' : 'no',
        (i.problems || []).join('; '), ago(i.seenAt)))));
    }

    async function showDiff(version) {
      try {
        const data = (await api('GET', '/api/v1/admin/config/versions/' + version + '/diff')).data;
        replace(diff, el('h3', {}, 'Running → version ' + version), data.changes.length
          ? changesList(data.changes) : el('p', {}, 'Version ' + version + ' is what runs now.'));
      } catch (failure) {
        replace(diff, problemBox(failure));
      }
    }

    async function rollback(version) {
      if (await confirmDialog('Roll back to version ' + version + '?', 'It is validated again and runs at once as a'
        + ' new version, on every instance.', 'Roll back')) {
        await act(() => api('POST', '/api/v1/admin/config/rollback/' + version), 'Rolled back to version ' + version);
      }
    }

    await loadVersions();
  }

  function changesList(changes) {
    return changes && changes.length ? el('ul', { class: 'changes' }, changes.map((c) => el('li', {}, c))) : '';
  }

  function lineIn(text) {
    const m = /line (\d+)/.exec(text || '');
    return m ? Number(m[1]) : null;
  }

  /** The document with each problem beside its line, and the problems without a line below it. */
  function problemsAtLines(text, located, problems) {
    const byLine = new Map();
    for (const p of located) {
      if (p.line) {
        byLine.set(p.line, (byLine.get(p.line) || []).concat(p.problem));
      }
    }
    const lines = text.replace(/\n+$/, '').split('\n');
    const placed = new Set(located.filter((p) => p.line).map((p) => p.problem));
    return el('div', { class: 'problems' },
      el('h3', {}, problems.length + (problems.length === 1 ? ' problem' : ' problems')),
      el('ol', { class: 'document', 'aria-label': 'The document, with its problems at their lines' },
        lines.map((line, i) => {
          const here = byLine.get(i + 1);
          return el('li', { class: here ? 'bad' : null, value: i + 1 }, el('code', {}, line || ' '),
            here ? here.map((p) => el('p', { class: 'problem', role: 'note' }, 'Line ' + (i + 1) + ': ' + p)) : null);
        })),
      problems.filter((p) => !placed.has(p)).map((p) => el('p', { class: 'problem' }, p)));
  }

  // --- start ---------------------------------------------------------------------------------------------------------

  async function start() {
    const response = await fetch('/console/session', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      location.replace('/console');
      return;
    }
    state.session = (await response.json()).data;
    document.getElementById('who').textContent = state.session.role === 'operator' ? 'Operator'
      : 'Tenant ' + state.session.tenant;
    replace(document.getElementById('nav'), ...visiblePages().map((p) => el('li', {},
      el('a', { href: '#/' + p.id, 'data-page': p.id }, titleOf(p)))));
    document.querySelector('.skip').addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById('page').focus();
    });
    // Enter in the dialog's field confirms (its one submit button); Cancel and Escape close it unconfirmed
    document.getElementById('confirm-cancel').addEventListener('click', () => document.getElementById('confirm')
      .close('cancel'));
    document.getElementById('sign-out').addEventListener('click', async () => {
      await api('DELETE', '/console/session').catch(() => null);
      location.replace('/console');
    });
    window.addEventListener('hashchange', () => {
      if (!location.hash || location.hash.startsWith('#/')) {
        render().then(() => document.getElementById('page').focus());
      }
    });
    await render();
  }

  start();
})();
