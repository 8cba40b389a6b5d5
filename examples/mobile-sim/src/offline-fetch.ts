/** A fetch wrapper with an airplane-mode switch: while offline every request fails like a dropped connection. */
import type { FetchLike } from '@ab-calicritters/client';

export interface Network {
  fetch: FetchLike;
  online: boolean;
}

export function createNetwork(): Network {
  const network: Network = {
    online: true,
    fetch: (url, init) => {
      if (!network.online) return Promise.reject(new TypeError('Network request failed (airplane mode)'));
      return fetch(url, init as RequestInit);
    },
  };
  return network;
}
