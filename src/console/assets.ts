import { createHash } from 'node:crypto';

/**
 * The console's only assets, served by kitbridge itself: one stylesheet, inlined in every page and allowed by
 * its hash in the Content-Security-Policy, and one small script that only enhances (a copy button, a print
 * button); every page works without it.
 */

// The print sheets wrap anywhere and fix their columns: a name within the limits may have no space to break
// at, and must not push the team and the counts off the page.
export const STYLE = `*{box-sizing:border-box}[hidden]{display:none!important}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2125;background:#f6f7f9}
a{color:#0b5cad}
.top{background:#1f2d3d;color:#fff;padding:.4rem 1rem;display:flex;flex-wrap:wrap;gap:.1rem 1rem;align-items:center}
.top a{color:#fff;text-decoration:none;padding:.35rem 0;white-space:nowrap}
.top nav{display:flex;flex-wrap:wrap;gap:0 1rem}
.top a[aria-current]{box-shadow:inset 0 -3px #ffd166}
.top .brand{font-weight:700;margin-right:auto}
.top button{padding:.2rem .6rem;background:#fff0;border-color:#fff8}
main{padding:1rem;max-width:72rem;margin:0 auto}
h1{font-size:1.4rem;margin:.4rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
p{margin:.5rem 0}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}
th,td{border-bottom:1px solid #dde1e6;padding:.45rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#eef1f4;font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
tr.problem td{background:#fdecea}
.badge{display:inline-block;white-space:nowrap;padding:0 .4rem;border-radius:.25rem;font-size:.85rem;font-weight:600;background:#e3e7ec}
.badge.created{background:#cdeed6}.badge.rejected{background:#ffe1a8}.badge.failed{background:#f7c1bb}
.badge.to-print{background:#ffe1a8}.badge.printing{background:#cfe3fb}.badge.printed{background:#cdeed6}
.error-text{color:#b3261e}
.warn,.notice,.error{padding:.5rem .75rem;margin:.75rem 0;border-left:4px solid}
.warn{background:#fff4dc;border-color:#e0a100}.notice{background:#e5f4ea;border-color:#2f9e5b}.error{background:#fdecea;border-color:#c62828}
span.error{display:inline-block;margin:0}
ul.warn{padding-left:2rem}
.fields{margin:.25rem 0 0;padding-left:1.2rem;font-size:.92rem}
form{margin:0}
form.sign-in{max-width:32rem}
.bar{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0 1rem}
label{display:block;font-size:.9rem}
input,select,button{font:inherit;padding:.45rem .7rem;border:1px solid #9aa5b1;border-radius:.3rem;background:#fff;color:inherit;max-width:100%}
button,.button{background:#0b5cad;color:#fff;border:1px solid #0b5cad;border-radius:.3rem;cursor:pointer;padding:.45rem .8rem;text-decoration:none;display:inline-block;white-space:nowrap}
.button.secondary,button.secondary{background:#fff;color:#0b5cad}
button.danger{background:#b3261e;border-color:#b3261e}
input.url{width:100%;font-family:ui-monospace,Menlo,monospace}
dl.facts{display:grid;grid-template-columns:1fr;gap:.1rem .8rem;background:#fff;padding:.75rem;border:1px solid #dde1e6}
dl.facts dt{font-weight:600}dl.facts dd{margin:0 0 .5rem;overflow-wrap:anywhere}
img.kit{max-width:100%;max-height:22rem;background:#fff;border:1px solid #dde1e6}
.muted{color:#5f6b7a}
code{font-family:ui-monospace,Menlo,monospace;font-size:.9em;overflow-wrap:break-word}
.ok{color:#1e7a43;font-weight:600}
@media (min-width:40rem){dl.facts{grid-template-columns:max-content 1fr}dl.facts dd{margin:0}}
@media (max-width:39.99rem){
th,td{padding:.4rem .3rem}
table.cards thead{display:none}
table.cards tr{display:block;border-bottom:1px solid #c5ccd4;padding:.35rem 0;background:#fff}
table.cards td{display:block;border:0;padding:.1rem .6rem}
table.cards td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#5f6b7a}
}
.sheet{background:#fff;padding:1rem;margin-bottom:1rem;border:1px solid #dde1e6;overflow-wrap:anywhere}
.sheet-head{display:flex;gap:1rem;align-items:flex-start}
.sheet-head>div{min-width:0}
.sheet-head img{max-width:8rem;max-height:8rem}
.sheet-head p{margin:.1rem 0}
.sheet h2{margin:.2rem 0;font-size:1.6rem}
.sheet table{table-layout:fixed}
.sheet th,.sheet td{overflow-wrap:anywhere}
.sheet th.no{width:5.5rem}
.sheet td.no{font-size:1.25rem;font-weight:700}
.sheet tfoot th{background:#fff;border-top:2px solid #1d2125}
@media print{
body{background:#fff;font-size:11pt}
.top,.no-print{display:none}
main{padding:0;max-width:none}
.sheet{border:0;padding:0;margin:0}
.sheet+.sheet{break-before:page;page-break-before:always}
tr{break-inside:avoid}
a{color:inherit;text-decoration:none}
}
@page{margin:12mm}
`;

/** The stylesheet's CSP source: inline, yet no other inline style can run. */
export const STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export const SCRIPT_PATH = '/console/console.js';

/** A shirt, so a browser need not ask for /favicon.ico (which kitbridge does not have). */
export const ICON_PATH = '/console/icon.svg';
export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M11 3 6 5 1 11l4 3 3-3v18h16V11l3 3 4-3-5-6-5-2q-5 4-10 0z" fill="#1f2d3d"/></svg>`;

export const SCRIPT = `'use strict';
document.querySelectorAll('[data-copy]').forEach(function (button) {
  var field = document.getElementById(button.getAttribute('data-copy'));
  if (!field) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    var done = function () { button.textContent = 'Copied'; };
    var select = function () { field.focus(); field.select(); if (document.execCommand('copy')) done(); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(done, select);
    else select();
  });
});
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
`;
