import { storefrontApi } from './api';
import { readConfig } from './config';
import { LoyaltyElement, tagName } from './element';

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
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount, { once: true });
  });

  window.Boomerang = {
    identify: (token) => ready.then((el) => el.identify(token)),
    signOut: () => element?.signOut(),
    open: () => element?.open(),
    close: () => element?.close(),
  };
};

start();
