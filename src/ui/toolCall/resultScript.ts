// The result view's in-page script (resultHtml.ts builds the page and its CSP). Plain ES2017 in a
// string, like formScript.ts; a unit test compiles it. It only toggles what the page already holds
// (source / rendered, raw JSON, image zoom) and asks the extension for everything else (copy, open
// a resource, a document, a web link, save the call as a test): the page never navigates and never
// fetches.
export const RESULT_SCRIPT = String.raw`(function () {
  'use strict';
  var vscode = acquireVsCodeApi();
  var statusEl = document.getElementById('status');
  var statusTimer;
  var zooms = {};

  function say(text) {
    statusEl.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(function () { statusEl.textContent = ''; }, 2500);
  }

  function zoom(id, step) {
    var img = document.getElementById(id + '-img');
    var label = document.getElementById(id + '-zoom');
    if (!img) return;
    var z = zooms[id] || 0;
    if (step === 0 || !img.naturalWidth) {
      zooms[id] = 0;
      img.classList.add('fit');
      img.style.width = '';
      label.textContent = 'fit to view';
      return;
    }
    if (!z) z = img.clientWidth / img.naturalWidth || 1;
    z = step > 0 ? z * 2 : z / 2;
    z = Math.max(0.05, Math.min(z, 64));
    zooms[id] = z;
    img.classList.remove('fit');
    img.style.width = Math.round(img.naturalWidth * z) + 'px';
    label.textContent = Math.round(z * 100) + '% (' + img.naturalWidth + ' x ' + img.naturalHeight + ' px)';
  }

  document.addEventListener('click', function (e) {
    var t = e.target && e.target.closest ? e.target.closest('[data-action]') : null;
    if (!t) return;
    e.preventDefault();
    var a = t.getAttribute('data-action');
    if (a === 'copy') {
      vscode.postMessage({ type: 'copy', target: t.getAttribute('data-target'), n: Number(t.getAttribute('data-n') || 0) });
    } else if (a === 'openResource') {
      vscode.postMessage({ type: 'openResource', uri: t.getAttribute('data-uri'), mimeType: t.getAttribute('data-mime') || undefined });
    } else if (a === 'openExternal') {
      vscode.postMessage({ type: 'openExternal', url: t.getAttribute('data-url') });
    } else if (a === 'openDoc') {
      vscode.postMessage({ type: 'openDoc', doc: Number(t.getAttribute('data-doc')) });
    } else if (a === 'saveAsTest') {
      vscode.postMessage({ type: 'saveAsTest' });
    } else if (a === 'toggleSource') {
      var id = t.getAttribute('data-id');
      var view = document.getElementById(id + '-view');
      var src = document.getElementById(id + '-src');
      if (!view || !src) return;
      var showSource = src.hidden;
      src.hidden = !showSource;
      view.hidden = showSource;
      t.textContent = showSource ? 'Show Rendered' : 'Show Source';
      t.setAttribute('aria-pressed', String(showSource));
    } else if (a === 'toggleRaw') {
      var raw = document.getElementById('raw');
      raw.hidden = !raw.hidden;
      t.textContent = raw.hidden ? 'Show Raw JSON' : 'Hide Raw JSON';
      t.setAttribute('aria-expanded', String(!raw.hidden));
      if (!raw.hidden) raw.scrollIntoView({ block: 'start' });
    } else if (a === 'zoom') {
      zoom(t.getAttribute('data-id'), Number(t.getAttribute('data-step')));
    }
  });

  window.addEventListener('message', function (e) {
    var m = e.data || {};
    if (m.type === 'status') say(m.text || '');
  });
})();`;
