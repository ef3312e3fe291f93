import { storefrontApi } from './api';
import { readConfig } from './config';
import { later, LoyaltyElement, styleSheet, tagName } from './element';

/**
 * The widget's entry: `<script src="…/widget.js" data-shop="my-shop" async>` defines
 * `<boomerang-loyalty>`, adds one to the page and exposes `window.Boomerang`.
 */
export interface BoomerangGlobal {
  /** Exchanges a customer token (docs/storefront.md) for a session; resolves false if refused. */
  identify(customerToken: string): Promise<boolean>;
  signOut(): void;
  open(): void;
  close(): void;
}

declare global {
  interface Window {
    Boomerang?: BoomerangGlobal;
  }
}

const start = (): void => {
  const config = readConfig();
  // Loaded twice, or without data-shop: the first copy stays in charge.
  if (!config || window.Boomerang || customElements.get(tagName)) return;
  customElements.define(tagName, LoyaltyElement);

  let element: LoyaltyElement | null = null;
  const ready = new Promise<LoyaltyElement>((resolve) => {
    const mount = () => {
      // A page may place the element itself (to choose where it sits in the DOM); else we add it.
      const el = (document.querySelector(tagName) ?? document.createElement(tagName)) as LoyaltyElement;
      el.setup(config, storefrontApi(config.api, config.shopId));
      if (el.isConnected) el.connectedCallback();
      else document.body.append(el);
      element = el;
      resolve(el);
    };
    // Mounting (shadow root, stylesheet, the launcher) runs in a task of its own once the page
    // is idle, not in the task that evaluated this script, and the element starts its session
    // and fetches in another (element.ts): short tasks instead of one long one on a slow phone,
    // and none while the shop's page is still busy.
    // The stylesheet is parsed in an idle task of its own first.
    const whenIdle = () =>
      later(() => {
        styleSheet();
        later(mount);
      });
    if (document.body) whenIdle();
    else document.addEventListener('DOMContentLoaded', whenIdle, { once: true });
  });

  window.Boomerang = {
    identify: (token) => ready.then((el) => el.identify(token)),
    signOut: () => element?.signOut(),
    open: () => element?.open(),
    close: () => element?.close(),
  };
};

start();
