// The Background Fetch API for web pages, served by bgfetch.
//
// Runs in the page's own (MAIN) world at document_start, before any of the page's scripts, so
// `swReg.backgroundFetch` is there when they look. It talks to relay.js (the isolated world)
// with window.postMessage; relay.js forwards to the extension's background, which adds the
// origin the browser vouches for and asks bgfetch's native host. Nothing here is trusted by
// the other side: the page can call the channel itself and gain nothing its origin lacks.
//
// Follows https://wicg.github.io/background-fetch/ (BackgroundFetchManager,
// BackgroundFetchRegistration, BackgroundFetchRecord). Wrapped in a function so nothing but
// the spec's own names reaches the page's globals.
(() => {
  "use strict";

  // Service workers, and so Background Fetch, exist only in secure contexts.
  if (!window.isSecureContext || typeof ServiceWorkerRegistration !== "function") return;

  const CHANNEL = "org.bgfetch.bridge"; // also in relay.js
  const READ_CHUNK = 512 * 1024; // the most one `read` returns (docs/browser-bridge.md)
  const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

  // Captured now, before the page's scripts run: a page may later replace any global, and the
  // channel and the objects we hand out must not depend on what it put there.
  const win = window;
  const postToRelay = win.postMessage.bind(win);
  const addListener = EventTarget.prototype.addEventListener;
  const dispatch = EventTarget.prototype.dispatchEvent;
  const decodeBase64 = Uint8Array.fromBase64
    ? Uint8Array.fromBase64.bind(Uint8Array)
    : ((atob) => (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)))(win.atob.bind(win));
  const pageOrigin = win.location.origin;
  const { DOMException, Event, ReadableStream, Request, Response, URL } = win;
  const SWRegistration = ServiceWorkerRegistration;

  // ---- the channel to relay.js ------------------------------------------------------------

  let nextSeq = 1;
  const pending = new Map(); // seq -> {resolve, reject}

  function call(type, fields = {}) {
    return new Promise((resolve, reject) => {
      const seq = nextSeq++;
      pending.set(seq, { resolve, reject });
      postToRelay({ ...fields, channel: CHANNEL, to: "extension", seq, type }, pageOrigin);
    });
  }

  function rejection(error) {
    const name = error && typeof error.name === "string" ? error.name : "NetworkError";
    const message = error && typeof error.message === "string" ? error.message : "";
    return name === "TypeError" ? new TypeError(message) : new DOMException(message, name);
  }

  Reflect.apply(addListener, win, ["message", (event) => {
    if (event.source !== win) return;
    const message = event.data;
    if (!message || message.channel !== CHANNEL || message.to !== "page") return;
    if (typeof message.re === "number") {
      const waiter = pending.get(message.re);
      if (!waiter) return;
      pending.delete(message.re);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(rejection(message.error));
    } else if (typeof message.event === "string") {
      onEngineEvent(message.registration);
    }
  }]);

  // ---- arguments, checked here so mistakes reject at once, as in browsers that have it ----

  function absoluteUrl(value, what) {
    try {
      return new URL(String(value), document.baseURI).href;
    } catch {
      throw new TypeError(`${what}: ${String(value)} is not a valid URL`);
    }
  }

  function asRequest(info, what) {
    if (info instanceof Request) return info;
    const url = absoluteUrl(info, what);
    try {
      return new Request(url);
    } catch (error) {
      throw new TypeError(`${what}: ${error.message}`);
    }
  }

  // A WebIDL sequence: any object that can be iterated.
  function isSequence(value) {
    return value !== null && typeof value === "object" &&
      typeof value[Symbol.iterator] === "function";
  }

  // (RequestInfo or sequence<RequestInfo>) in WebIDL terms.
  function requestList(requests) {
    if (requests instanceof Request) return [requests];
    return isSequence(requests) ? Array.from(requests) : [requests];
  }

  function wireRequest(info, index) {
    const what = `requests[${index}]`;
    const request = asRequest(info, what);
    // GET and HEAD requests cannot have a body, so this also refuses every upload: bgfetch
    // never sends a body on a page's behalf.
    if (request.method !== "GET" && request.method !== "HEAD") {
      throw new TypeError(`${what}: only GET and HEAD requests can be background-fetched`);
    }
    if (request.mode === "no-cors") {
      throw new TypeError(`${what}: "no-cors" requests cannot be background-fetched`);
    }
    if (!/^https?:$/.test(new URL(request.url).protocol)) {
      throw new TypeError(`${what}: only http(s) URLs can be fetched`);
    }
    const headers = Object.fromEntries(request.headers);
    const { integrity } = request;  // checked by bgfetch once the body is in (SRI)
    if (request.method === "GET" && Object.keys(headers).length === 0 && !integrity) {
      return request.url;
    }
    return { url: request.url, method: request.method, headers, ...(integrity && { integrity }) };
  }

  function wireIcons(icons) {
    if (!isSequence(icons)) {
      throw new TypeError("options.icons must be a sequence of image resources");
    }
    return Array.from(icons, (icon, index) => {
      if (icon === null || typeof icon !== "object" || icon.src === undefined) {
        throw new TypeError(`options.icons[${index}] needs a src`);
      }
      const wire = { src: absoluteUrl(icon.src, `options.icons[${index}].src`) };
      if (icon.sizes !== undefined) wire.sizes = String(icon.sizes);
      if (icon.type !== undefined) wire.type = String(icon.type);
      return wire;
    });
  }

  function wireOptions(options) {
    if (options === undefined || options === null) return {};
    if (typeof options !== "object") throw new TypeError("options must be an object");
    const wire = {};
    if (options.downloadTotal !== undefined) {
      const total = Math.trunc(Number(options.downloadTotal));
      if (!Number.isSafeInteger(total) || total < 0) {
        throw new TypeError("options.downloadTotal must be a whole number of bytes");
      }
      wire.downloadTotal = total;
    }
    if (options.icons !== undefined) wire.icons = wireIcons(options.icons);
    if (options.title !== undefined) wire.title = String(options.title);
    return wire;
  }

  function checkId(id) {
    if (typeof id !== "string") throw new TypeError("the id must be a string");
  }

  // ---- the spec's objects -----------------------------------------------------------------

  // Only this script holds it, so pages cannot construct the classes (as with the browser's).
  const INTERNAL = Symbol("bgfetch");
  function illegal(token) {
    if (token !== INTERNAL) throw new TypeError("Illegal constructor");
  }

  const STATE_FIELDS = [
    "uploadTotal", "uploaded", "downloadTotal", "downloaded",
    "result", "failureReason", "recordsAvailable",
  ];
  const stateOf = (data) => ({
    uploadTotal: Number(data.uploadTotal) || 0,
    uploaded: Number(data.uploaded) || 0,
    downloadTotal: Number(data.downloadTotal) || 0,
    downloaded: Number(data.downloaded) || 0,
    result: String(data.result ?? ""),
    failureReason: String(data.failureReason ?? ""),
    recordsAvailable: Boolean(data.recordsAvailable),
  });

  function bodyStream(id, index) {
    let offset = 0;
    return new ReadableStream({
      async pull(controller) {
        const chunk = await call("read", { id, index, offset, length: READ_CHUNK });
        const bytes = decodeBase64(chunk.data);
        offset += bytes.length;
        if (bytes.length > 0) controller.enqueue(bytes);
        if (chunk.eof) controller.close();
        else if (bytes.length === 0) controller.error(new TypeError("the stored body ended early"));
      },
    });
  }

  async function responseOf(id, record) {
    if (!record.ready) {
      throw new DOMException("this record's response is not complete yet", "InvalidStateError");
    }
    const noBody = record.method === "HEAD" || NULL_BODY_STATUSES.has(record.status);
    return new Response(noBody ? null : bodyStream(id, record.index), {
      status: record.status,
      statusText: record.statusText,
      headers: record.headers,
    });
  }

  class BackgroundFetchRecord {
    #id;
    #record;
    #request = null;
    #responseReady = null;

    constructor(token, id, record) {
      illegal(token);
      this.#id = id;
      this.#record = record;
    }

    get request() {
      this.#request ??= new Request(this.#record.url, {
        method: this.#record.method, integrity: this.#record.integrity ?? "",
      });
      return this.#request;
    }

    // Made on first use: a rejected promise nobody asked for would be reported as unhandled.
    get responseReady() {
      this.#responseReady ??= responseOf(this.#id, this.#record);
      return this.#responseReady;
    }

    get [Symbol.toStringTag]() {
      return "BackgroundFetchRecord";
    }
  }

  let updateRegistration; // (registration, data) -> whether a spec attribute changed

  class BackgroundFetchRegistration extends EventTarget {
    #id;
    #state;
    #onprogress = null;

    static {
      updateRegistration = (registration, data) => {
        const next = stateOf(data);
        const changed = STATE_FIELDS.some((field) => next[field] !== registration.#state[field]);
        registration.#state = next;
        return changed;
      };
    }

    constructor(token, data) {
      illegal(token);
      super();
      this.#id = String(data.id);
      this.#state = stateOf(data);
      Reflect.apply(addListener, this, ["progress", (event) => {
        if (typeof this.#onprogress === "function") Reflect.apply(this.#onprogress, this, [event]);
      }]);
    }

    get id() { return this.#id; }
    get uploadTotal() { return this.#state.uploadTotal; }
    get uploaded() { return this.#state.uploaded; }
    get downloadTotal() { return this.#state.downloadTotal; }
    get downloaded() { return this.#state.downloaded; }
    get result() { return this.#state.result; }
    get failureReason() { return this.#state.failureReason; }
    get recordsAvailable() { return this.#state.recordsAvailable; }

    get onprogress() { return this.#onprogress; }
    set onprogress(handler) { this.#onprogress = typeof handler === "function" ? handler : null; }

    async abort() {
      return call("abort", { id: this.#id });
    }

    async match(request, options = {}) {
      if (arguments.length === 0) throw new TypeError("match() needs a request");
      const records = await this.#matchAll(request, options);
      return records[0];
    }

    async matchAll(request = undefined, options = {}) {
      return this.#matchAll(request, options);
    }

    async #matchAll(request, options) {
      const query = options ?? {};
      const fields = {
        id: this.#id,
        options: {
          ignoreSearch: Boolean(query.ignoreSearch),
          ignoreMethod: Boolean(query.ignoreMethod),
          ignoreVary: Boolean(query.ignoreVary),
        },
      };
      if (request !== undefined) {
        const wanted = asRequest(request, "request");
        fields.request = { url: wanted.url, method: wanted.method };
      }
      const records = await call("matchAll", fields);
      return records.map((record) => new BackgroundFetchRecord(INTERNAL, this.#id, record));
    }

    get [Symbol.toStringTag]() {
      return "BackgroundFetchRegistration";
    }
  }

  // One object per registration per page, updated in place, as the spec asks.
  const registrations = new Map(); // id -> BackgroundFetchRegistration

  // Events travel apart from replies and can overtake the answer to `fetch` (a small fetch may
  // even settle first): while fetch(id) waits, the latest event for that id waits here and is
  // applied to the registration the answer creates.
  const overtaking = new Map(); // id -> the latest event's registration data, or null

  function isSettled(registration) {
    return registration.result !== "";
  }

  // A settled registration never becomes active again: active data under its id is a newer
  // fetch that reused the id, not news of this one.
  function describesAnother(registration, data) {
    return isSettled(registration) && stateOf(data).result === "";
  }

  function registrationFor(data) {
    const known = registrations.get(data.id);
    if (known && !describesAnother(known, data)) {
      updateRegistration(known, data);
      return known;
    }
    const registration = new BackgroundFetchRegistration(INTERNAL, data);
    registrations.set(registration.id, registration);
    return registration;
  }

  function onEngineEvent(data) {
    if (!data || typeof data.id !== "string") return;
    if (overtaking.has(data.id)) {
      overtaking.set(data.id, data);
      return;
    }
    const known = registrations.get(data.id);
    if (!known || describesAnother(known, data)) return;
    if (updateRegistration(known, data)) Reflect.apply(dispatch, known, [new Event("progress")]);
  }

  async function bgfetchFetch(swRegistration, id, requests, options) {
    checkId(id);
    const list = requestList(requests);
    if (list.length === 0) throw new TypeError("requests must not be empty");
    const wire = { id, requests: list.map(wireRequest), options: wireOptions(options) };
    if (!swRegistration.active) {
      throw new TypeError("the service worker registration has no active worker");
    }
    overtaking.set(id, null);
    try {
      // Always a new object: the engine refuses an id that is still active.
      const registration = new BackgroundFetchRegistration(INTERNAL, await call("fetch", wire));
      const latest = overtaking.get(id);
      if (latest) updateRegistration(registration, latest);
      registrations.set(id, registration);
      return registration;
    } finally {
      overtaking.delete(id);
    }
  }

  async function bgfetchGet(id) {
    checkId(id);
    const data = await call("get", { id });
    return data ? registrationFor(data) : undefined;
  }

  async function bgfetchGetIds() {
    return Object.freeze(await call("getIds"));
  }

  // ---- bgfetch's manager, or the browser's own --------------------------------------------

  const nativeManagerOf =
    Object.getOwnPropertyDescriptor(SWRegistration.prototype, "backgroundFetch")?.get;

  // A browser with its own Background Fetch (Chromium) keeps it unless the user chose bgfetch
  // for this origin; the answer is asked once per page and never prompts.
  let bgfetchChosen = null;
  function useBgfetch() {
    if (!nativeManagerOf) return Promise.resolve(true);
    bgfetchChosen ??= call("decision").then((answer) => answer?.decision === "allow", () => false);
    return bgfetchChosen;
  }

  class BackgroundFetchManager {
    #swRegistration;

    constructor(token, swRegistration) {
      illegal(token);
      this.#swRegistration = swRegistration;
    }

    async fetch(id, requests, options = {}) {
      return this.#route("fetch", [id, requests, options],
        (swRegistration) => bgfetchFetch(swRegistration, id, requests, options));
    }

    async get(id) {
      return this.#route("get", [id], () => bgfetchGet(id));
    }

    async getIds() {
      return this.#route("getIds", [], bgfetchGetIds);
    }

    async #route(method, args, bgfetchCall) {
      const swRegistration = this.#swRegistration; // also rejects a `this` that is no manager
      if (await useBgfetch()) return bgfetchCall(swRegistration);
      const manager = Reflect.apply(nativeManagerOf, swRegistration, []);
      return Reflect.apply(manager[method], manager, args);
    }

    get [Symbol.toStringTag]() {
      return "BackgroundFetchManager";
    }
  }

  const managers = new WeakMap(); // ServiceWorkerRegistration -> its one manager

  Object.defineProperty(SWRegistration.prototype, "backgroundFetch", {
    configurable: true,
    enumerable: true,
    get: Object.getOwnPropertyDescriptor({
      get backgroundFetch() {
        if (!(this instanceof SWRegistration)) throw new TypeError("Illegal invocation");
        let manager = managers.get(this);
        if (!manager) {
          manager = new BackgroundFetchManager(INTERNAL, this);
          managers.set(this, manager);
        }
        return manager;
      },
    }, "backgroundFetch").get,
  });

  for (const [name, value] of Object.entries({
    BackgroundFetchManager, BackgroundFetchRegistration, BackgroundFetchRecord,
  })) {
    if (name in win) {
      // The browser's own class stays the global; ours inherit from it, so `instanceof` holds
      // for the objects bgfetch hands out too. Our accessors and methods shadow its.
      Object.setPrototypeOf(value.prototype, win[name].prototype);
    } else {
      Object.defineProperty(win, name, { value, writable: true, configurable: true });
    }
  }
})();
