import { ApiError, type StorefrontApi } from './api';
import { referralCookie, type WidgetConfig } from './config';
import { h } from './dom';
import { formatFor, type Format } from './format';
import { loadSession, saveSession, type Session } from './session';
import { initialState, type WidgetState } from './state';
import { css } from './styles';
import { palette } from './theme';
import { anonymousView, signedInView, type Actions } from './views';

export const tagName = 'boomerang-loyalty';

const svgNs = 'http://www.w3.org/2000/svg';

/** The launcher's icon, made as nodes: no HTML parser in the mounting task. */
const giftIcon = (): SVGSVGElement => {
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(svgNs, 'path');
  path.setAttribute(
    'd',
    'M20 7h-2.2A3 3 0 0 0 12 3.8 3 3 0 0 0 6.2 7H4a1 1 0 0 0-1 1v3a1 1 0 0 0 1 1h1v8a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-8h1a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1Zm-9 13H7v-8h4v8Zm0-10H5V9h6v1Zm0-3H9a1 1 0 1 1 2-1v1Zm2-1a1 1 0 1 1 2 1h-2V6Zm4 14h-4v-8h4v8Zm2-10h-6V9h6v1Z',
  );
  svg.append(path);
  return svg;
};

let sheet: CSSStyleSheet | null | undefined;

/**
 * The stylesheet, parsed once per page and adopted by the shadow root; null where constructable
 * stylesheets are missing (Safari before 16.4), which get a `<style>` element instead.
 */
export const styleSheet = (): CSSStyleSheet | null => {
  if (sheet === undefined) {
    sheet = null;
    if ('adoptedStyleSheets' in ShadowRoot.prototype && 'replaceSync' in CSSStyleSheet.prototype) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
    }
  }
  return sheet;
};

/** Work that is not needed for the next frame: when the page is idle, else soon. */
export const later = (fn: () => void): void => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 1);
};

/** Refusals a fresh read of `me` explains, each with its own words in `strings` (points have their own key). */
const refusals = ['insufficient_points', 'out_of_stock', 'reward_limit_reached', 'reward_locked'] as const;

const newKey = (): string => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

/**
 * `<boomerang-loyalty>`: a launcher button and a non-modal dialog panel in an open shadow root
 * (open, so tests and assistive tooling can reach the parts). The element reflects
 * `data-state="anonymous" | "signed-in"`; its parts carry `data-part` names that are a contract.
 */
export class LoyaltyElement extends HTMLElement {
  private config!: WidgetConfig;
  private api!: StorefrontApi;
  private f!: Format;
  private state!: WidgetState;
  private launcher!: HTMLButtonElement;
  private panel!: HTMLDivElement;
  /** The panel's header and content container, built on the first open. */
  private body: HTMLDivElement | null = null;
  private heading: HTMLHeadingElement | null = null;
  private logo: HTMLImageElement | null = null;
  private cookieRead = false;
  private started: Promise<void> = Promise.resolve();
  private live!: HTMLDivElement;
  private programLoad: Promise<void> | null = null;

  /** Called once by main.ts before the element is connected. */
  setup(config: WidgetConfig, api: StorefrontApi): void {
    this.config = config;
    this.api = api;
    this.f = formatFor(config.locale);
    this.state = initialState(null, config.referralCode);
  }

  connectedCallback(): void {
    if (this.shadowRoot || !this.config) return;
    const root = this.attachShadow({ mode: 'open' });
    // Only what shows before the first click: the launcher, an empty panel (its id answers
    // aria-controls) and the live region. The panel's header and content are built on open.
    this.launcher = h(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'data-part': 'launcher',
        'aria-expanded': 'false',
        'aria-controls': 'bmr-panel',
        onclick: () => this.toggle(),
      },
      giftIcon(),
      h('span', { class: 'label' }, this.f.t('launcher')),
    );
    this.panel = h('div', {
      class: 'panel',
      id: 'bmr-panel',
      'data-part': 'panel',
      role: 'dialog',
      'aria-labelledby': 'bmr-title',
      hidden: true,
    });
    this.live = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    const frame = h('div', { class: 'root' }, this.panel, this.launcher, this.live);
    const sheet = styleSheet();
    if (sheet) root.adoptedStyleSheets = [sheet];
    root.append(...(sheet ? [] : [h('style', {}, css)]), frame);
    root.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && this.isOpen) {
        e.stopPropagation();
        this.close();
      }
    });
    this.started = new Promise((resolve) =>
      later(() => {
        this.start();
        resolve();
      }),
    );
  }

  /**
   * The rest of mounting, in a task of its own after the launcher's: reading sessionStorage and
   * the bmr_ref cookie (synchronous calls to the browser process) and starting the fetches cost
   * several ms each on a slow phone. `data-state` appears once the session is known.
   */
  private start(): void {
    this.state.session ??= loadSession(this.config.shopId);
    this.reflect();
    // The bmr_ref cookie is read on the first open (referral()): only the panel shows it.
    // The program gives the launcher its colour; the panel is rendered on open.
    void this.loadProgram();
    if (this.state.session) void this.loadMe();
    this.render();
  }

  /** The referral code from the URL (config) or, read once on demand, the `bmr_ref` cookie. */
  private referral(): void {
    if (this.cookieRead) return;
    this.cookieRead = true;
    this.state.referralCode ??= referralCookie();
  }

  /** The panel's header, built on the first open. */
  private buildHeader(): void {
    const { f } = this;
    this.heading = h('h2', { id: 'bmr-title' }, f.t('title'));
    this.logo = h('img', { alt: '', hidden: true, referrerpolicy: 'no-referrer', decoding: 'async' });
    this.body = h('div', {});
    this.panel.append(
      h(
        'header',
        {},
        this.logo,
        this.heading,
        h('button', { type: 'button', class: 'close', 'aria-label': f.t('close'), onclick: () => this.close() }, '×'),
      ),
      this.body,
    );
    this.applyTheme();
  }

  /** Open from the click on; the panel shows from the next task (open()). */
  get isOpen(): boolean {
    return this.launcher?.getAttribute('aria-expanded') === 'true';
  }

  /**
   * On a slow phone, one short task each: the click's (the launcher's state), the next (header
   * built, panel shown, laid out in the frame after it), then after that frame focus (layout is
   * clean by then, so it costs none) and the content, laid out in the frame after.
   */
  open(): void {
    if (!this.panel || this.isOpen) return;
    this.launcher.setAttribute('aria-expanded', 'true');
    setTimeout(() => {
      if (!this.isOpen) return;
      if (!this.body) this.buildHeader();
      this.referral();
      this.panel.hidden = false;
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (!this.isOpen) return;
          this.panel.querySelector<HTMLElement>('.close')!.focus();
          this.render();
        }, 0),
      );
    }, 0);
  }

  close(): void {
    if (!this.isOpen) return;
    this.panel.hidden = true;
    // Rebuilt on the next open, so nothing stale (a redeemed code) shows in between.
    this.body?.replaceChildren();
    this.launcher.setAttribute('aria-expanded', 'false');
    this.state.redeemed = null;
    this.state.confirming = null;
    this.state.notice = null;
    this.launcher.focus();
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  /** Exchanges a customer token for a session and shows the signed-in view; false if refused. */
  async identify(customerToken: string): Promise<boolean> {
    await this.started;
    try {
      const session = await this.api.session(customerToken);
      this.setSession(session);
      await this.loadMe();
      return this.state.me !== null;
    } catch (e) {
      console.warn('Boomerang: identify failed', e instanceof ApiError ? e.code : e);
      return false;
    }
  }

  signOut(): void {
    this.setSession(null);
  }

  private setSession(session: Session | null): void {
    saveSession(this.config.shopId, session);
    this.state = { ...initialState(session, this.state.referralCode), program: this.state.program };
    this.reflect();
    this.render();
  }

  private reflect(): void {
    this.setAttribute('data-state', this.state.session ? 'signed-in' : 'anonymous');
  }

  private loadProgram(): Promise<void> {
    return (this.programLoad ??= this.api.program(this.config.locale).then(
      (program) => {
        this.state.program = program;
        this.state.programFailed = false;
        this.applyTheme();
        this.render();
      },
      () => {
        this.state.programFailed = true;
        this.programLoad = null;
        this.render();
      },
    ));
  }

  private async loadMe(): Promise<void> {
    const session = this.state.session;
    if (!session) return;
    try {
      const me = await this.api.me(session.sessionToken, this.config.locale);
      if (this.state.session !== session) return;
      this.state.me = me;
      this.state.meFailed = false;
      this.state.nextCursor = me.nextCursor;
      this.state.moreHistory = [];
    } catch (e) {
      if (this.sessionEnded(e)) return;
      this.state.meFailed = true;
    }
    this.render();
  }

  /** A 401 means the session expired or its secret was rotated: back to anonymous. */
  private sessionEnded(e: unknown): boolean {
    if (!(e instanceof ApiError) || e.status !== 401) return false;
    this.setSession(null);
    // Shown in the (now anonymous) panel too, not only announced.
    this.state.notice = this.f.t('sessionEnded');
    this.render();
    // An open panel shows it as an alert, which is announced; a closed one has only the live region.
    if (this.panel.hidden) this.announce(this.state.notice);
    return true;
  }

  private applyTheme(): void {
    const theme = this.state.program?.theme;
    if (!theme) return;
    const p = palette(theme.accentColor);
    this.style.setProperty('--accent', p.accent);
    this.style.setProperty('--on-accent', p.onAccent);
    this.style.setProperty('--accent-text', p.accentText);
    if (!this.logo || !this.heading) return;
    if (theme.logoUrl && /^https:\/\//.test(theme.logoUrl)) {
      this.logo.src = theme.logoUrl;
      this.logo.alt = this.state.program!.shop.name;
      this.logo.hidden = false;
    }
    this.heading.textContent = this.state.program!.shop.name || this.f.t('title');
  }

  private announce(text: string): void {
    // Cleared first, so the same words twice are announced twice.
    this.live.textContent = '';
    setTimeout(() => (this.live.textContent = text), 50);
  }

  private readonly actions: Actions = {
    retry: () => {
      if (this.state.programFailed) void this.loadProgram();
      if (this.state.meFailed) void this.loadMe();
      this.state.programFailed = this.state.meFailed = false;
      this.render('retry');
    },
    askRedeem: (rewardId) => {
      this.state.confirming = { rewardId, key: newKey() };
      this.state.notice = null;
      this.render('confirm');
    },
    cancelRedeem: () => {
      const id = this.state.confirming?.rewardId;
      this.state.confirming = null;
      this.render(`redeem:${id}`);
    },
    confirmRedeem: () => void this.redeem(),
    copy: (text, key) => void this.copy(text, key),
    share: (url) => {
      const shop = this.state.program?.shop.name ?? '';
      navigator.share?.({ title: shop, text: this.f.t('shareText', { shop }), url }).catch(() => undefined);
    },
    moreHistory: () => void this.moreHistory(),
    claim: (type) => void this.claim(type),
  };

  private async claim(type: string): Promise<void> {
    const { session } = this.state;
    if (!session || this.state.busy) return;
    const key = `claim:${type}`;
    let date: string | undefined;
    if (type === 'birthday') {
      date = this.shadowRoot!.querySelector<HTMLInputElement>('#bmr-bday')?.value.trim();
      if (!date || !/^\d\d-\d\d$/.test(date)) {
        this.announce(this.f.t('badBirthday'));
        this.state.notice = this.f.t('badBirthday');
        this.render('bday');
        return;
      }
    }
    this.state.busy = true;
    this.render(key);
    try {
      // The server derives the claim's id from the customer, type and period: pressing twice is one claim.
      await this.api.claim(session.sessionToken, type, date);
      this.state.notice = null;
    } catch (e) {
      this.state.busy = false;
      if (this.sessionEnded(e)) return;
      this.state.notice = this.f.t(e instanceof ApiError && e.status === 400 ? 'badBirthday' : 'failed');
      this.announce(this.state.notice);
      this.render(key);
      return;
    }
    this.state.busy = false;
    await this.loadMe();
  }

  private async redeem(): Promise<void> {
    const { session, confirming, me } = this.state;
    if (!session || !confirming || !me || this.state.busy) return;
    const reward = me.rewards.find((r) => r.id === confirming.rewardId);
    this.state.busy = true;
    this.render('confirm');
    try {
      // The key was made when the confirm step opened: a retry after a network error reuses it,
      // so the reward is redeemed at most once however often the customer presses.
      const response = await this.api.redeem(session.sessionToken, confirming.rewardId, confirming.key);
      const balance = response.points.balance;
      this.state.me = {
        ...me,
        points: { ...me.points, balance, pending: response.points.pending },
        rewards: me.rewards.map((r) => ({
          ...r,
          affordable: balance >= r.pointsCost,
          pointsShort: Math.max(0, r.pointsCost - balance),
          // Stock and limits come back with the fresh read just below.
          redeemable: r.redeemable && balance >= r.pointsCost,
        })),
      };
      this.state.redeemed = { rewardName: reward?.name ?? '', response };
      this.state.confirming = null;
      this.state.busy = false;
      this.render(response.redemption.code ? 'copy-code' : undefined);
      this.announce(this.f.t('yourCode', { reward: reward?.name ?? '' }) + ' ' + (response.redemption.code ?? ''));
      // History and the other figures, fresh from the ledger; the code stays shown.
      void this.loadMe();
    } catch (e) {
      this.state.busy = false;
      if (this.sessionEnded(e)) return;
      const code = e instanceof ApiError ? e.code : '';
      // A refusal that reading again explains (points, stock, limit, gate): close the step and refresh.
      const refusal = refusals.find((r) => r === code);
      const short = refusal !== undefined;
      this.state.notice = this.f.t(refusal === 'insufficient_points' ? 'insufficient' : (refusal ?? 'failed'));
      if (short) this.state.confirming = null;
      this.render(short ? undefined : 'confirm');
      if (short) void this.loadMe();
    }
  }

  private async copy(text: string, key: string): Promise<void> {
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // Older browsers, or no clipboard permission: select-and-copy inside our own root.
      const area = h('textarea', { class: 'sr', readonly: true });
      area.value = text;
      this.shadowRoot!.append(area);
      area.select();
      ok = document.execCommand('copy');
      area.remove();
    }
    const button = this.shadowRoot!.querySelector<HTMLElement>(`[data-key="${key}"]`);
    if (ok && button) {
      const label = button.textContent;
      button.textContent = this.f.t('copied');
      setTimeout(() => (button.textContent = label), 1500);
    }
    this.announce(ok ? this.f.t('copied') : this.f.t('failed'));
  }

  private async moreHistory(): Promise<void> {
    const { session, nextCursor } = this.state;
    if (!session || !nextCursor) return;
    try {
      const page = await this.api.history(session.sessionToken, this.config.locale, nextCursor);
      this.state.moreHistory = [...this.state.moreHistory, ...page.history];
      this.state.nextCursor = page.nextCursor;
    } catch (e) {
      if (this.sessionEnded(e)) return;
      this.announce(this.f.t('failed'));
    }
    this.render('more');
  }

  /**
   * Rebuilds the panel's content (only while it is open). Focus stays on the control with the
   * same `data-key`, or moves to `focusKey`, so re-rendering never drops a keyboard user's place.
   */
  private render(focusKey?: string): void {
    if (!this.body || this.panel.hidden) return;
    const body = this.body;
    const root = this.shadowRoot!;
    const active = root.activeElement as HTMLElement | null;
    const keep = focusKey ?? (active && body.contains(active) ? active.dataset.key : undefined);
    const ctx = { state: this.state, f: this.f, act: this.actions, canShare: typeof navigator.share === 'function' };
    body.replaceChildren(...(this.state.session ? signedInView(ctx) : anonymousView(ctx)));
    const target = keep ? root.querySelector<HTMLElement>(`[data-key="${keep}"]`) : null;
    if (target && !(target as HTMLButtonElement).disabled) target.focus();
    else if (active && body.contains(active) === false && !this.panel.contains(root.activeElement)) {
      this.panel.querySelector<HTMLElement>('.close')?.focus();
    }
  }
}
