// The options page: download take-over settings, and the sites bgfetch has decisions for.
//
// Settings live in storage.local and are read by the background on every download, so a
// change applies to the next one without a reload. Decisions are bgfetch's, shown read-only:
// a page of the extension must not be able to grant a site anything.

import { DEFAULT_SETTINGS, SETTINGS_KEY, normalizeSettings } from "./takeover.js";

const form = document.getElementById("take-over");
const saved = document.getElementById("saved");

function lines(text) {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

function show(settings) {
  form.elements.enabled.checked = settings.enabled;
  form.elements.minSizeMiB.value = String(settings.minSizeMiB);
  form.elements.types.value = settings.types.join("\n");
  form.elements.neverSites.value = settings.neverSites.join("\n");
  form.elements.rules.disabled = !settings.enabled;
}

async function save() {
  const settings = normalizeSettings({
    enabled: form.elements.enabled.checked,
    minSizeMiB: form.elements.minSizeMiB.value,
    types: lines(form.elements.types.value),
    neverSites: lines(form.elements.neverSites.value),
  });
  await chrome.storage.local.set({ [SETTINGS_KEY]: settings });
  form.elements.rules.disabled = !settings.enabled;
  saved.textContent = "Saved.";
}

async function loadSettings() {
  const stored = await chrome.storage.local.get(SETTINGS_KEY);
  show(normalizeSettings(stored[SETTINGS_KEY] ?? DEFAULT_SETTINGS));
  // Text fields save when left, so half-typed entries are not applied.
  form.addEventListener("change", () => {
    save().catch((error) => { saved.textContent = `Not saved: ${error.message}`; });
  });
  form.elements.all.disabled = false;
}

const DECISIONS = { allow: "Allowed", deny: "Denied", ask: "Ask first" };

function gib(bytes) {
  return Number.isFinite(bytes) ? `${+(bytes / 2 ** 30).toFixed(2)} GiB` : "";
}

async function loadSites() {
  const status = document.getElementById("sites-status");
  const table = document.getElementById("sites");
  const reply = await chrome.runtime.sendMessage({ type: "sites" });
  if (!reply?.ok) {
    status.textContent = `bgfetch could not be reached: ${reply?.error?.message ?? "no answer"}`;
    return;
  }
  const sites = reply.result ?? [];
  const body = table.tBodies[0];
  body.replaceChildren(...sites.map(({ origin, decision, quota }) => {
    const row = document.createElement("tr");
    for (const text of [origin, DECISIONS[decision] ?? decision, gib(quota)]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  }));
  table.hidden = sites.length === 0;
  status.textContent = sites.length === 0 ? "No site has asked yet." : "";
}

loadSettings();
loadSites();
