/**
 * The widget's only stylesheet, inside its shadow root: shop CSS cannot reach in, ours cannot
 * leak out. Inherited properties still cross the boundary (a shop's `* { letter-spacing }`
 * matches our host element), so `.root` resets them all and carries the fixed positioning.
 * Colours come from custom properties set from the shop's theme (theme.ts). Body text is
 * #1f2328 on white (15:1) and muted text #57606a (6.2:1), both above WCAG AA.
 */
export const css = `
:host{--accent:#1f6feb;--on-accent:#fff;--accent-text:#1f6feb}
.root{all:initial;display:block;position:fixed;right:16px;bottom:16px;z-index:2147483000;text-align:left;
font:15px/1.45 system-ui,sans-serif;color:#1f2328}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,a,input{font:inherit}
:focus{outline:none}
:focus-visible{outline:3px solid var(--accent-text);outline-offset:2px}
.launcher{display:flex;align-items:center;gap:8px;border:0;border-radius:999px;padding:12px 18px;min-height:48px;
background:var(--accent);color:var(--on-accent);font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:focus-visible{outline-color:#1f2328;box-shadow:0 0 0 3px #fff}
.launcher svg{width:20px;height:20px;fill:currentColor}
.panel{position:absolute;right:0;bottom:64px;width:min(380px,calc(100vw - 32px));max-height:min(640px,calc(100vh - 96px));
overflow:auto;overscroll-behavior:contain;background:#fff;border-radius:14px;box-shadow:0 6px 24px rgba(0,0,0,.28)}
@media (prefers-reduced-motion:reduce){.bar>i{transition:none}}
header{display:flex;align-items:center;gap:10px;padding:14px 16px;border-bottom:1px solid #d0d7de}
header img{max-height:32px;max-width:96px;object-fit:contain}
h2{flex:1;margin:0;font-size:17px;font-weight:650;overflow-wrap:anywhere}
h3{margin:0 0 8px;font-size:14px;font-weight:650;text-transform:uppercase;letter-spacing:.03em;color:#57606a}
section{padding:14px 16px;border-bottom:1px solid #eaeef2}
section:last-child{border-bottom:0}
p{margin:0 0 8px}
.muted{color:#57606a;font-size:13px}
.close{border:0;background:none;width:40px;height:40px;border-radius:8px;cursor:pointer;color:#1f2328;font-size:22px;line-height:1}
.close:hover{background:#eaeef2}
.balance{font-size:32px;font-weight:700;line-height:1.1;color:#1f2328}
.bar{height:10px;border-radius:5px;background:#eaeef2;overflow:hidden;margin:6px 0}
.bar>i{display:block;height:100%;background:var(--accent);transition:width .4s}
ul{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid #eaeef2}
li:first-child{border-top:0}
.row{display:flex;align-items:center;justify-content:space-between;gap:10px;flex-wrap:wrap}
.row>div{min-width:0;flex:1 1 160px}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:40px;padding:8px 14px;border-radius:8px;
border:2px solid var(--accent);background:var(--accent);color:var(--on-accent);font-weight:600;cursor:pointer;
text-decoration:none}
.btn.ghost{background:#fff;color:var(--accent-text);border-color:var(--accent-text)}
.btn[disabled]{background:#eaeef2;border-color:#eaeef2;color:#57606a;cursor:not-allowed}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin-top:8px}
.code{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-top:6px}
code,input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:14px;padding:8px 10px;
border:1px solid #8c959f;border-radius:8px;background:#f6f8fa;color:#1f2328;min-width:0}
input{flex:1 1 180px;width:100%}
.gift{background:#fff8c5;border-bottom-color:#d4a72c}
.gift h3{color:#1f2328}
div.gift{padding:10px 12px;border-radius:8px;margin-bottom:8px;border:1px solid #d4a72c}
.pts{font-weight:600;white-space:nowrap}
.alert{color:#a40e26}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
