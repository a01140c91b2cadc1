// Should bgfetch take over a download the browser just started?
//
// Pure functions of the download item and the user's settings, with no browser API, so the
// whole rule reads in one place; background.js does the pausing and handing over.

export const SETTINGS_KEY = "takeOver";

// Off by default: taking over a click is something the user opts into.
export const DEFAULT_SETTINGS = Object.freeze({
  enabled: false,
  minSizeMiB: 0,
  // MIME types ("video/*", "application/zip") and file extensions ("iso", ".tar.gz").
  types: [],
  // Sites whose downloads always stay in the browser ("example.com" covers its subdomains).
  neverSites: [],
});

const MIB = 1024 * 1024;

function words(list) {
  return Array.isArray(list)
    ? list.map((w) => String(w).trim().toLowerCase()).filter((w) => w !== "")
    : [];
}

// Stored settings may come from an older version or be edited by hand: keep what is valid.
export function normalizeSettings(stored) {
  const raw = stored && typeof stored === "object" ? stored : {};
  const minSize = Number(raw.minSizeMiB);
  return {
    enabled: raw.enabled === true,
    minSizeMiB: Number.isFinite(minSize) && minSize > 0 ? minSize : 0,
    types: words(raw.types),
    neverSites: words(raw.neverSites).map(siteHost).filter((h) => h !== ""),
  };
}

// "https://www.example.com/x", "www.example.com" and "*.example.com" all name a host.
export function siteHost(entry) {
  const text = String(entry).trim().toLowerCase().replace(/^\*\./, "");
  try {
    return new URL(text.includes("://") ? text : `https://${text}`).hostname;
  } catch {
    return "";
  }
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

function onSite(host, site) {
  return host !== "" && (host === site || host.endsWith(`.${site}`));
}

function isHttp(url) {
  return /^https?:\/\//i.test(url);
}

function fileName(item) {
  const path = item.filename || (() => {
    try {
      return decodeURIComponent(new URL(item.finalUrl || item.url).pathname);
    } catch {
      return "";
    }
  })();
  return path.split(/[\\/]/).pop().toLowerCase();
}

function typeMatches(entry, mime, name) {
  if (entry.includes("/")) {
    if (entry.endsWith("/*")) return mime.startsWith(entry.slice(0, -1));
    return mime === entry;
  }
  const extension = entry.replace(/^\*?\./, "");
  return extension !== "" && name.endsWith(`.${extension}`);
}

// The download's size in bytes, or -1 while the browser does not know it (Firefox learns it
// only after the download started).
export function sizeOf(item) {
  if (item.totalBytes > 0) return item.totalBytes;
  return item.fileSize > 0 ? item.fileSize : -1;
}

// Whether a download of `size` bytes (-1: unknown) is big enough. An unknown size cannot be
// shown to pass a minimum the user set, so the download stays in the browser.
export function bigEnough(size, settings) {
  return settings.minSizeMiB === 0 || (size >= 0 && size >= settings.minSizeMiB * MIB);
}

// Whether a download the browser just created may be taken over: everything but a size the
// browser does not know yet, which the caller checks again once the download is paused.
// item: a downloads.DownloadItem; settings: normalizeSettings(...).
export function isCandidate(item, settings) {
  if (!settings.enabled || item.state !== "in_progress") return false;
  // Downloads started by an extension (bgfetch's own included) are someone's deliberate choice.
  if (item.byExtensionId) return false;
  // A private window's downloads stay private: bgfetch keeps a history.
  if (item.incognito) return false;
  const url = item.finalUrl || item.url;
  // bgfetch fetches http(s) only; blob:, data: and file: downloads exist only in the browser.
  if (!isHttp(url)) return false;
  const hosts = [hostOf(url), hostOf(item.referrer || "")];
  if (settings.neverSites.some((site) => hosts.some((host) => onSite(host, site)))) return false;
  const size = sizeOf(item);
  if (size >= 0 && !bigEnough(size, settings)) return false;
  if (settings.types.length === 0) return true;
  const mime = String(item.mime || "").toLowerCase().split(";")[0].trim();
  const name = fileName(item);
  return settings.types.some((entry) => typeMatches(entry, mime, name));
}
