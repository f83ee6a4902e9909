// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
/*
 * embed.js - the mcp-uptime status widget, served by mcp-serve(8).
 *
 *   <div id="mcp-uptime-embed" data-server="SLUG"></div>
 *   <script async src="https://status.example.com/embed.js"></script>
 *
 * Several widgets on one page: class="mcp-uptime-embed" on each mount.
 * data-style="card" (the default) or "badge" (an inline pill);
 * data-theme="light" (the default) or "dark".
 *
 * Plain ES5, no dependencies, no build step: it is meant to be read.  The
 * rules it keeps, and why:
 *   - It never shows a state the API did not give.  A 404, a 5xx, a CORS
 *     failure, a body that is not the five fields, or no answer within 4
 *     seconds all render the pending state (a grey dot, the slug, "awaiting
 *     first probe"): never a green dot by default, never an empty box.
 *   - Text from the page (the slug) or from the API is set as text, never
 *     as HTML, and the slug is sanitised before it touches a URL or the DOM.
 *   - It renders each mount once (data-mcp-uptime-done), even when the
 *     script is loaded twice, and injects its CSS once; every rule is
 *     namespaced under .mcpu and resets box-sizing, so the host page's
 *     styles neither break the widget nor are touched by it.
 */
(function () {
	'use strict';

	var DONE = 'data-mcp-uptime-done';
	var CSS_ID = 'mcp-uptime-embed-css';
	var TIMEOUT_MS = 4000;
	var STATES = {up: 'Up', degraded: 'Degraded', down: 'Down', pending: 'Pending'};

	/* The API is where this script came from: its own src, minus /embed.js. */
	function apiBase() {
		var s = document.currentScript, all, i;

		if (!s || !s.src) {
			/* currentScript is null in old browsers: the last script named so. */
			all = document.getElementsByTagName('script');
			for (i = all.length - 1; i >= 0; i--)
				if (/\/embed\.js(\?|#|$)/.test(all[i].src)) {
					s = all[i];
					break;
				}
		}
		if (!s || !s.src)
			return '';
		return s.src.replace(/\/embed\.js([?#].*)?$/, '');
	}

	/* Lowercase, [a-z0-9._-] only, 80 characters at most, as mcp-serve accepts. */
	function cleanSlug(raw) {
		return String(raw || '').toLowerCase().replace(/[^a-z0-9._-]/g, '').slice(0, 80);
	}

	/*
	 * One stylesheet for every widget, injected once.  Colours are never the
	 * only signal: each state is written out beside its dot.
	 */
	function injectCss() {
		var css, el;

		if (document.getElementById(CSS_ID))
			return;
		/*
		 * Every selector starts with the class twice (.mcpu.mcpu): more
		 * specific than a host's "p span" or ".nav a", so the reset wins;
		 * the widget's own rules add a class and win over the reset.
		 */
		var R = '.mcpu.mcpu';
		css = [
			R + ',' + R + ' *{box-sizing:border-box;margin:0;padding:0;border:0;float:none;' +
				'position:static;width:auto;height:auto;min-width:0;max-width:none;' +
				'background:transparent;color:inherit;font:inherit;line-height:1.35;' +
				'text-align:left;text-decoration:none;text-transform:none;text-indent:0;' +
				'letter-spacing:normal;word-spacing:normal;white-space:normal;visibility:visible;' +
				'opacity:1;box-shadow:none;vertical-align:baseline}',
			R + '{font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;' +
				'display:inline-block;vertical-align:middle;color:#1f2328;background:#fff;' +
				'border:1px solid #d0d7de;border-radius:8px}',
			R + '.mcpu-card{display:block;width:100%;max-width:420px;padding:12px 14px}',
			R + '.mcpu-badge{border-radius:999px;padding:3px 10px;white-space:nowrap}',
			R + ' .mcpu-row{display:flex;align-items:center;gap:8px}',
			R + ' .mcpu-dot{display:inline-block;width:10px;height:10px;border-radius:50%;flex:none;' +
				'background:#6e7781}',
			R + '.mcpu-up .mcpu-dot{background:#1a7f37}',
			R + '.mcpu-degraded .mcpu-dot{background:#bf8700}',
			R + '.mcpu-down .mcpu-dot{background:#cf222e}',
			R + ' .mcpu-slug{font-weight:600;overflow:hidden;text-overflow:ellipsis}',
			R + ' .mcpu-state{margin-left:auto;font-weight:600}',
			R + '.mcpu-badge .mcpu-state{margin-left:4px}',
			R + ' .mcpu-facts{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:6px;color:#59636e;' +
				'font-size:13px}',
			R + ' .mcpu-foot{display:flex;justify-content:space-between;margin-top:8px;font-size:12px;' +
				'color:#59636e}',
			R + ' .mcpu-foot a,' + R + ' .mcpu-invite{text-decoration:underline}',
			R + '.mcpu-dark{color:#e6edf3;background:#0d1117;border-color:#3d444d}',
			R + '.mcpu-dark .mcpu-facts,' + R + '.mcpu-dark .mcpu-foot{color:#9198a1}',
			R + '.mcpu-dark.mcpu-up .mcpu-dot{background:#3fb950}',
			R + '.mcpu-dark.mcpu-degraded .mcpu-dot{background:#d29922}',
			R + '.mcpu-dark.mcpu-down .mcpu-dot{background:#f85149}',
			R + '.mcpu-dark .mcpu-dot{background:#9198a1}'
		].join('\n');
		el = document.createElement('style');
		el.id = CSS_ID;
		el.appendChild(document.createTextNode(css));
		(document.head || document.documentElement).appendChild(el);
	}

	function el(tag, cls, text) {
		var e = document.createElement(tag);

		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.appendChild(document.createTextNode(text));
		return e;
	}

	/* The five fields, checked: anything else is no answer at all. */
	function valid(j) {
		return j !== null && typeof j === 'object' && STATES.hasOwnProperty(j.state) &&
			(j.uptime_30d === null || typeof j.uptime_30d === 'number') &&
			(j.p95_ms === null || typeof j.p95_ms === 'number') &&
			(j.last_probe_ago === null || typeof j.last_probe_ago === 'string');
	}

	/*
	 * The widget: st is the API's answer, or null for pending.  Everything
	 * is built with createElement and text nodes.
	 */
	function render(mount, opt, st, final) {
		var state = st ? st.state : 'pending';
		var root = el(opt.style === 'badge' ? 'a' : 'div',
			'mcpu mcpu-' + opt.style + ' mcpu-' + state + (opt.theme === 'dark' ? ' mcpu-dark' : ''));
		var link = opt.base + '/status/' + opt.slug;
		var row = el('span', 'mcpu-row'), facts, foot, a;

		root.setAttribute('data-state', state);
		row.appendChild(el('span', 'mcpu-dot'));
		row.appendChild(el('span', 'mcpu-slug', opt.slug));
		row.appendChild(el('span', 'mcpu-state', STATES[state]));
		root.appendChild(row);
		if (opt.style === 'badge') {
			root.setAttribute('href', link);
			root.setAttribute('title', opt.slug + ': ' + (st ? STATES[state] : 'awaiting first probe') +
				' (status page)');
		} else {
			facts = el('span', 'mcpu-facts');
			if (!st || state === 'pending') {
				facts.appendChild(el('span', 'mcpu-fact', 'awaiting first probe'));
			} else {
				if (st.uptime_30d !== null)
					facts.appendChild(el('span', 'mcpu-fact', st.uptime_30d.toFixed(2) + '% uptime (30 days)'));
				if (st.p95_ms !== null)
					facts.appendChild(el('span', 'mcpu-fact', 'p95 ' + Math.round(st.p95_ms) + ' ms'));
				if (st.last_probe_ago !== null)
					facts.appendChild(el('span', 'mcpu-fact', 'checked ' + st.last_probe_ago + ' ago'));
			}
			root.appendChild(facts);
			foot = el('span', 'mcpu-foot');
			a = el('a', 'mcpu-link', 'Status page \u2192');
			a.setAttribute('href', link);
			foot.appendChild(a);
			a = el('a', 'mcpu-by', 'mcp-uptime');
			a.setAttribute('href', opt.base + '/status');
			foot.appendChild(a);
			root.appendChild(foot);
		}
		while (mount.firstChild)
			mount.removeChild(mount.firstChild);
		mount.appendChild(root);
		/* For the page (and tests): what the widget settled on. */
		if (final)
			mount.setAttribute('data-mcp-uptime-state', state);
	}

	/* No slug: a card that tells the page's author how to add one. */
	function renderInvite(mount, opt) {
		var root = el('div', 'mcpu mcpu-card mcpu-pending' + (opt.theme === 'dark' ? ' mcpu-dark' : ''));
		var a = el('a', 'mcpu-link mcpu-invite',
			'Is your MCP server alive? Add data-server="your-slug" to show it\u00a0\u2192');

		root.setAttribute('data-state', 'invite');
		a.setAttribute('href', opt.base + '/status');
		root.appendChild(a);
		mount.appendChild(root);
		mount.setAttribute('data-mcp-uptime-state', 'invite');
	}

	/*
	 * One request with a 4-second limit.  XMLHttpRequest, not fetch: ES5
	 * browsers have it, and its timeout needs no AbortController.
	 */
	function load(mount, opt) {
		var x = new XMLHttpRequest(), finished = false;

		function finish(st) {
			if (finished)
				return;
			finished = true;
			render(mount, opt, st, true);
		}
		x.open('GET', opt.base + '/api/embed-status/' + opt.slug, true);
		x.timeout = TIMEOUT_MS;
		x.setRequestHeader('Accept', 'application/json');
		x.onload = function () {
			var j = null;

			if (x.status >= 200 && x.status < 300) {
				try {
					j = JSON.parse(x.responseText);
				} catch (e) {
					j = null;
				}
			}
			finish(valid(j) ? j : null);
		};
		/* A CORS refusal, a network error, the timeout: pending. */
		x.onerror = x.ontimeout = x.onabort = function () {
			finish(null);
		};
		try {
			x.send();
		} catch (e) {
			finish(null);
		}
	}

	function mountAll() {
		var base = apiBase(), list = [], byId, byClass, i, m, opt;

		injectCss();
		byId = document.getElementById('mcp-uptime-embed');
		if (byId)
			list.push(byId);
		byClass = document.querySelectorAll ? document.querySelectorAll('.mcp-uptime-embed') : [];
		for (i = 0; i < byClass.length; i++)
			if (byClass[i] !== byId)
				list.push(byClass[i]);
		for (i = 0; i < list.length; i++) {
			m = list[i];
			if (m.getAttribute(DONE))
				continue;
			m.setAttribute(DONE, '1');
			opt = {
				base: base,
				slug: cleanSlug(m.getAttribute('data-server')),
				style: m.getAttribute('data-style') === 'badge' ? 'badge' : 'card',
				theme: m.getAttribute('data-theme') === 'dark' ? 'dark' : 'light'
			};
			if (!opt.slug) {
				renderInvite(m, opt);
				continue;
			}
			/* Something shows at once; the answer replaces it. */
			render(m, opt, null, false);
			load(m, opt);
		}
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', mountAll);
	else
		mountAll();
}());
