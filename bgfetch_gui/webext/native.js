// The one connection to bgfetch's native-messaging host (docs/browser-bridge.md).
//
// Calls carry a `seq` and wait for the reply that carries it back as `re`; messages without
// `re` are the engine's events. When the host goes away every waiting call fails with
// NetworkError, and the next call starts a new host. It does not reconnect by itself: a new
// host starts bgfetch when none runs, and bgfetch must not come back after the user quit it
// just because a page is open.

const HOST_NAME = "org.bgfetch.native_host";
const PROTOCOL_VERSION = 1;

// A refusal with the DOMException name the page's promise rejects with.
export class BridgeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

export class NativeHost {
  #hello; // the hello call's fields
  #onEvent;
  #port = null;
  #nextSeq = 1;
  #pending = new Map(); // seq -> {resolve, reject, port}

  constructor(hello, onEvent) {
    this.#hello = hello;
    this.#onEvent = onEvent;
  }

  call(type, fields = {}) {
    return new Promise((resolve, reject) => {
      let seq = 0;
      try {
        const port = this.#port ?? this.#connect();
        seq = this.#nextSeq++;
        this.#pending.set(seq, { resolve, reject, port });
        port.postMessage({ ...fields, v: PROTOCOL_VERSION, seq, type });
      } catch (error) {
        this.#pending.delete(seq);
        reject(new BridgeError("NetworkError", `bgfetch could not be reached: ${error.message}`));
      }
    });
  }

  #connect() {
    const port = chrome.runtime.connectNative(HOST_NAME);
    this.#port = port;
    port.onMessage.addListener((message) => this.#receive(message));
    port.onDisconnect.addListener(() => this.#dropped(port));
    // First on every connection, so the host knows which browser talks before any call.
    this.call("hello", this.#hello).catch((error) => {
      console.warn("bgfetch: hello failed:", error.message);
    });
    return port;
  }

  #receive(message) {
    if (!message || typeof message !== "object") return;
    if (typeof message.re !== "number") {
      if (typeof message.event === "string") this.#onEvent(message);
      return;
    }
    const waiter = this.#pending.get(message.re);
    if (!waiter) return;
    this.#pending.delete(message.re);
    if (message.ok) {
      waiter.resolve(message.result);
    } else {
      const error = message.error ?? {};
      waiter.reject(new BridgeError(String(error.name ?? "NetworkError"),
        String(error.message ?? "bgfetch refused the call")));
    }
  }

  #dropped(port) {
    // Chromium reports why in runtime.lastError (reading it also keeps it from being logged
    // as unchecked), Firefox in port.error.
    const why = port.error?.message ?? chrome.runtime.lastError?.message ??
      "bgfetch's native host closed the connection";
    if (this.#port === port) this.#port = null;
    for (const [seq, waiter] of this.#pending) {
      if (waiter.port !== port) continue;
      this.#pending.delete(seq);
      waiter.reject(new BridgeError("NetworkError", `bgfetch could not be reached: ${why}`));
    }
  }
}
