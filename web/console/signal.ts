import { useEffect, useState } from 'preact/hooks';

/** A value the app shares (language, session) and components re-render on. */
export interface Signal<T> {
  get(): T;
  set(value: T): void;
  subscribe(f: (value: T) => void): () => void;
}

export const signal = <T>(initial: T): Signal<T> => {
  let value = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const f of listeners) f(next);
    },
    subscribe(f) {
      listeners.add(f);
      return () => listeners.delete(f);
    },
  };
};

export const useSignal = <T>(s: Signal<T>): T => {
  const [value, setValue] = useState(s.get());
  useEffect(() => s.subscribe(setValue), [s]);
  return value;
};
