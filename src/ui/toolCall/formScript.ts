// The argument form's in-page script (webviewHtml.ts builds the page and its CSP). Plain ES2017 in
// a string, since the extension's tsconfig has no DOM types; a unit test compiles it to catch syntax
// errors. It renders fields from the state with textContent only and leaves every conversion and
// all validation to the extension host (formValues.ts, toolArgs.ts, validator.ts).
export const FORM_SCRIPT = String.raw`(function () {
  'use strict';
  var vscode = acquireVsCodeApi();
  var state = JSON.parse(document.getElementById('mcp-state').textContent);
  var form = document.getElementById('mcp-form');
  var fieldsEl = document.getElementById('mcp-fields');
  var jsonWrap = document.getElementById('mcp-json-wrap');
  var jsonEl = document.getElementById('mcp-json');
  var jsonErr = document.getElementById('mcp-json-error');
  var formErr = document.getElementById('mcp-form-error');
  var noteEl = document.getElementById('mcp-note');
  var toggle = document.getElementById('mcp-toggle');
  var submit = document.getElementById('mcp-submit');
  var controls = {};
  var errors = {};
  var order = [];
  var mode = state.mode;
  var seq = 0;
  var timer;
  var n = 0;

  function h(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(list, parent) {
    list.forEach(function (f) {
      var id = 'f' + (++n);
      if (f.control === 'group') {
        var fs = h('fieldset', { id: id });
        var legend = h('legend', null, f.label);
        if (f.required) legend.appendChild(h('span', { 'class': 'req', 'aria-hidden': 'true' }, '*'));
        fs.appendChild(legend);
        if (f.description) fs.appendChild(h('p', { 'class': 'desc' }, f.description));
        render(f.children || [], fs);
        var gerr = h('div', { 'class': 'error', id: id + '-err', 'aria-live': 'polite' });
        fs.appendChild(gerr);
        errors[f.key] = { el: gerr, wrap: fs, control: null };
        parent.appendChild(fs);
        return;
      }
      var wrap = h('div', { 'class': 'field', 'data-key': f.key });
      var label = h('label', { 'for': id }, f.label);
      if (f.required) label.appendChild(h('span', { 'class': 'req', 'aria-hidden': 'true' }, '*'));
      var c;
      if (f.control === 'checkbox') {
        c = h('input', { type: 'checkbox', id: id });
      } else if (f.control === 'tristate' || f.control === 'select') {
        c = h('select', { id: id });
        c.appendChild(h('option', { value: '' }, f.required ? '(choose)' : '(not set)'));
        var opts = f.control === 'tristate' ? ['true', 'false'] : (f.options || []);
        opts.forEach(function (o, i) { c.appendChild(h('option', { value: f.control === 'tristate' ? o : String(i) }, o)); });
      } else if (f.control === 'json') {
        c = h('textarea', { id: id, rows: '4', spellcheck: 'false', 'class': 'mono', placeholder: f.placeholder });
      } else {
        c = h('input', { type: f.secret ? 'password' : 'text', id: id, placeholder: f.placeholder, autocomplete: 'off', spellcheck: 'false' });
        if (f.control === 'number') c.setAttribute('inputmode', 'decimal');
      }
      c.setAttribute('aria-describedby', id + '-meta ' + id + '-err');
      if (f.required) c.setAttribute('aria-required', 'true');
      if (f.control === 'checkbox') {
        var row = h('div', { 'class': 'check' });
        row.appendChild(c);
        row.appendChild(label);
        wrap.appendChild(row);
      } else {
        wrap.appendChild(label);
        wrap.appendChild(c);
      }
      var meta = (f.description ? f.description + '\n' : '') + f.meta;
      wrap.appendChild(h('div', { 'class': 'meta', id: id + '-meta' }, meta));
      var err = h('div', { 'class': 'error', id: id + '-err', 'aria-live': 'polite' });
      wrap.appendChild(err);
      controls[f.key] = { el: c, control: f.control };
      errors[f.key] = { el: err, wrap: wrap, control: c };
      order.push(f.key);
      parent.appendChild(wrap);
    });
  }

  function setRaw(raw) {
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      var v = raw[k];
      if (c.control === 'checkbox') c.el.checked = v === true || v === 'true';
      else c.el.value = v === undefined || v === null ? '' : String(v);
    });
  }

  function collect() {
    var raw = {};
    Object.keys(controls).forEach(function (k) {
      var c = controls[k];
      raw[k] = c.control === 'checkbox' ? c.el.checked : c.el.value;
    });
    return raw;
  }

  function showErrors(map) {
    map = map || {};
    Object.keys(errors).forEach(function (k) {
      var msg = map[k] || '';
      var e = errors[k];
      e.el.textContent = msg;
      e.wrap.classList.toggle('invalid', !!msg);
      if (e.control) {
        if (msg) e.control.setAttribute('aria-invalid', 'true');
        else e.control.removeAttribute('aria-invalid');
      }
    });
    var general = map[''] || '';
    formErr.textContent = mode === 'form' ? general : '';
    jsonErr.textContent = mode === 'json' ? general : '';
    jsonEl.classList.toggle('invalid', mode === 'json' && !!general);
    if (mode === 'json') {
      if (general) jsonEl.setAttribute('aria-invalid', 'true');
      else jsonEl.removeAttribute('aria-invalid');
    }
  }

  function focusFirst(invalidOnly) {
    if (mode === 'json') { jsonEl.focus(); return; }
    for (var i = 0; i < order.length; i++) {
      var e = errors[order[i]];
      if (!invalidOnly || e.el.textContent) { e.control.focus(); return; }
    }
    // Details mode: focus never rests on Call, so a second Enter after selecting a tool runs nothing.
    if (!invalidOnly && !state.details) submit.focus();
  }

  function setMode(m) {
    mode = m;
    fieldsEl.hidden = m !== 'form';
    jsonWrap.hidden = m !== 'json' || !!state.noArgs;
    toggle.textContent = m === 'json' ? 'Edit as Form' : 'Edit as JSON';
    toggle.hidden = !!state.jsonOnly || !!state.noArgs;
    showErrors({});
  }

  function post(type, extra) {
    var msg = mode === 'json' ? { mode: 'json', json: jsonEl.value } : { mode: 'form', raw: collect() };
    msg.type = type;
    msg.seq = ++seq;
    if (extra) Object.keys(extra).forEach(function (k) { msg[k] = extra[k]; });
    vscode.postMessage(msg);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { post('validate'); }, 250);
  }

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); post('submit'); });
  toggle.addEventListener('click', function () { clearTimeout(timer); post('switch', { to: mode === 'json' ? 'form' : 'json' }); });
  document.getElementById('mcp-cancel').addEventListener('click', function () { post('cancel'); });
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    var tag = t && t.tagName;
    if (e.key === 'Escape') { e.preventDefault(); post('cancel'); return; }
    if (e.key !== 'Enter' || e.isComposing) return;
    if (e.ctrlKey || e.metaKey) { e.preventDefault(); clearTimeout(timer); post('submit'); return; }
    // Text inputs submit natively; make checkboxes and selects do the same.
    if (tag === 'SELECT' || (tag === 'INPUT' && t.type === 'checkbox')) { e.preventDefault(); clearTimeout(timer); post('submit'); }
  });

  window.addEventListener('message', function (e) {
    var m = e.data || {};
    if (m.type === 'errors') {
      if (typeof m.seq === 'number' && m.seq < seq) return; // an older answer; a newer one follows
      showErrors(m.errors);
      if (m.focus) focusFirst(true);
    } else if (m.type === 'setJson') {
      jsonEl.value = m.json;
      setMode('json');
      focusFirst(false);
    } else if (m.type === 'setForm') {
      setRaw(m.raw || {});
      setMode('form');
      focusFirst(false);
    } else if (m.type === 'note') {
      noteEl.textContent = m.text || '';
      noteEl.hidden = !m.text;
    } else if (m.type === 'busy') {
      submit.disabled = !!m.busy;
    }
  });

  render(state.fields, fieldsEl);
  setRaw(state.raw);
  jsonEl.value = state.json;
  setMode(state.mode);
  noteEl.textContent = state.note || '';
  noteEl.hidden = !state.note;
  if (state.errors) showErrors(state.errors);
  focusFirst(false);
})();`;
