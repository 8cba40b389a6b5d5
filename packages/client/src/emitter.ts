/** A minimal typed event emitter; a throwing listener never breaks the SDK or the other listeners. */
import { host } from './platform.js';

type Listener<T> = (payload: T) => void;

/** Typed `on`/`off`/`emit` over an event map. */
export class Emitter<Events> {
  #listeners = new Map<keyof Events, Set<Listener<never>>>();

  /** Subscribe; returns the matching unsubscribe function. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (!set) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => this.off(type, listener);
  }

  /** Remove a listener; unknown listeners are ignored. */
  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(type)?.delete(listener);
  }

  /** Calls every listener of `type`; returns false when there was none. */
  emit<K extends keyof Events>(type: K, payload: Events[K]): boolean {
    const set = this.#listeners.get(type);
    if (!set?.size) return false;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        host.console?.warn(error);
      }
    }
    return true;
  }
}
