/* Meeting Privacy Guard: the background script (a service worker in Chromium, an event page in Firefox).
 *
 * It watches tabs on the catalog's meeting hosts (the only hosts this extension may see) and
 * tells the Meeting Privacy Guard app on this computer about them through native messaging:
 * opened, updated (title, foreground or background, sound) and closed, and a full list whenever
 * the connection (re)starts, with how many browser windows it sees and whether one of them has the
 * focus (a count and a flag: no window's title or link). It forwards what the content script found
 * in a meeting page: an AI or recording notice, or a participant named like a note-taker bot; and whether the
 * page shows its pre-join or lobby screen (a tab flag, `lobby`). Links lose their secrets
 * (passcodes, tokens) before they are sent, and a person's name in a link's path becomes the app's pseudonym,
 * under the link key the host gives in its `hello` reply (until then, "redacted" alone). The key is kept in
 * memory only. It sends nothing anywhere but to the app's host.
 *
 * Servers the user added (options.js: a self-hosted Jitsi or BigBlueButton, each host granted on the user's
 * click): a granted host is that service's site, its content script is registered there, and the app is told the
 * list (`servers` in `hello` and `state`). Only a host both stored and granted counts; the browser withdrawing
 * the grant (permissions.onRemoved) drops it.
 */
"use strict";

(function () {
  const api = globalThis.browser || globalThis.chrome;
  const MPG = globalThis.MPG;
  const DATA = globalThis.MPG_DATA;
  const LIMITS = DATA.limits;
  const PHRASE_ID = /^[a-z0-9][a-z0-9.-]{0,63}\/[a-z0-9][a-z0-9.-]{0,63}\/[0-9]{1,4}$/; // "<provider>/<feature>/<n>"
  // The kinds of window the browser titles "<page> - <browser>" (Chromium: normal and pop-up windows,
  // chrome/browser/ui/window_metadata/window_metadata_controller.cc), which is what the app counts on screen:
  // a page's own pop-up counts on both sides, so it cannot make a window look unseen; developer tools,
  // app and picture-in-picture windows count on neither.
  const WINDOW_TYPES = ["normal", "popup"];
  const BROWSER = typeof globalThis.browser !== "undefined" && api.runtime.getBrowserInfo ? "firefox" : "chromium";

  const reported = new Map(); // tab id -> the JSON last sent for it
  let port = null;
  let retryDelay = 1000;
  let retryTimer = null;
  const pageReports = new Map(); // "<tab id>/<kind>" -> timestamps of recent content-script reports
  const phrasesForwarded = new Map(); // tab id -> the catalog phrase ids of the notices sent for it
  // tab id -> whether its page said it shows its pre-join or lobby screen (absent: not said yet)
  const lobbies = new Map();
  const LOBBY_PROVIDERS = new Set((DATA.lobbies || []).map((lobby) => lobby.provider));
  const SERVER_SCRIPT = "mpg-server-"; // the id prefix of the content scripts registered on added servers
  const CONTENT_FILES = ["data.js", "common.js", "content.js"];
  let servers = new Map(); // host -> service id: the servers the user added and granted

  function origin(host) {
    return "https://" + host + "/*";
  }

  /** The servers both stored (by the options page) and granted (the browser's permission), as a list to send. */
  function serverList() {
    return Array.from(servers, ([host, provider]) => ({ host: host, provider: provider }));
  }

  /** Read the stored servers again, keep the granted ones, register the content script on each (and in its open
   * tabs when newly added) and unregister it from any other; true when the list changed. */
  async function loadServers() {
    let stored = [];
    let granted = [];
    try {
      stored = (await api.storage.local.get("servers")).servers;
      granted = (await api.permissions.getAll()).origins || [];
    } catch (error) {
      stored = [];
    }
    const clean = MPG.cleanServers(stored);
    const origins = new Set(granted);
    const kept = clean.servers.filter((server) => origins.has(origin(server.host)));
    const before = JSON.stringify(serverList());
    servers = new Map(kept.map((server) => [server.host, server.provider]));
    if (clean.dropped > 0) { // the options page says which; the app is told the list as kept
      console.warn("Meeting Privacy Guard: " + clean.dropped + " stored servers not used (bad names or over the cap)");
    }
    await registerScripts(kept);
    return JSON.stringify(serverList()) !== before;
  }

  async function registerScripts(kept) {
    if (!api.scripting || !api.scripting.registerContentScripts) {
      return;
    }
    try {
      const registered = await api.scripting.getRegisteredContentScripts();
      const wanted = new Map(kept.map((server) => [SERVER_SCRIPT + server.host, server.host]));
      const stale = registered.map((script) => script.id)
        .filter((id) => id.startsWith(SERVER_SCRIPT) && !wanted.has(id));
      if (stale.length > 0) {
        await api.scripting.unregisterContentScripts({ ids: stale });
      }
      const have = new Set(registered.map((script) => script.id));
      const added = Array.from(wanted).filter(([id]) => !have.has(id));
      if (added.length > 0) {
        await api.scripting.registerContentScripts(added.map(([id, host]) => ({
          id: id, matches: [origin(host)], js: CONTENT_FILES, runAt: "document_idle", persistAcrossSessions: true,
        })));
      }
      for (const [, host] of added) { // a tab already open there: the script runs in it now, not at its next load
        const tabs = await api.tabs.query({ url: origin(host) });
        for (const tab of tabs) {
          api.scripting.executeScript({ target: { tabId: tab.id }, files: CONTENT_FILES }).catch(() => undefined);
        }
      }
    } catch (error) {
      // a browser without dynamic content scripts: tabs there are still told by their link and title
    }
  }

  let serversRead = loadServers();

  function serversChanged() {
    serversRead = loadServers().then((changed) => {
      if (changed) {
        sendFullState();
      }
      return changed;
    }, () => false);
  }

  function describe(tab) {
    if (!tab || typeof tab.url !== "string" || tab.incognito) {
      return null;
    }
    const providers = MPG.meetingProviders(tab.url, tab.title || "", servers);
    if (providers.length === 0) {
      return null;
    }
    const described = {
      id: tab.id,
      window: tab.windowId,
      url: MPG.cap(MPG.redactUrl(tab.url), LIMITS.url),
      title: MPG.plain(tab.title || "", LIMITS.title),
      active: Boolean(tab.active),
      audible: Boolean(tab.audible),
      muted: Boolean(tab.mutedInfo && tab.mutedInfo.muted),
      providers: providers,
    };
    if (lobbies.has(tab.id)) {
      described.lobby = lobbies.get(tab.id);
    }
    if (tab.sharingState) { // Firefox only: whether the page holds the microphone or camera
      described.microphone = Boolean(tab.sharingState.microphone);
      described.camera = Boolean(tab.sharingState.camera);
    }
    return described;
  }

  function send(message) {
    if (port === null) {
      connect();
    }
    if (port === null) {
      return;
    }
    try {
      port.postMessage(message);
    } catch (error) {
      port = null;
      scheduleReconnect();
    }
  }

  function update(tab) {
    const described = describe(tab);
    const before = reported.get(tab.id);
    if (described === null) {
      if (before !== undefined) {
        reported.delete(tab.id);
        send({ type: "tab", event: "closed", tab: { id: tab.id } });
      }
      return;
    }
    const json = JSON.stringify(described);
    if (json === before) {
      return;
    }
    reported.set(tab.id, json);
    send({ type: "tab", event: before === undefined ? "opened" : "updated", tab: described });
  }

  function closed(tabId) {
    pageReports.delete(tabId + "/notice");
    pageReports.delete(tabId + "/participant");
    pageReports.delete(tabId + "/lobby");
    phrasesForwarded.delete(tabId);
    lobbies.delete(tabId);
    if (reported.delete(tabId)) {
      send({ type: "tab", event: "closed", tab: { id: tabId } });
    }
  }

  /** How many browser windows this extension sees, and whether one of them has the focus (ids and flags only;
   * no titles or links are read): the app compares the count with the browser's windows on screen, as a window
   * it cannot see (incognito, private, another profile) may hold a meeting whose title it then cannot confirm;
   * the window with the focus, when it is one of these, is no such window. */
  async function windowsSeen() {
    for (const query of [{ windowTypes: WINDOW_TYPES }, {}]) {
      try {
        const windows = await api.windows.getAll(query);
        return { count: Math.min(windows.length, LIMITS.windows), focused: windows.some((w) => w.focused === true) };
      } catch (error) {
        // a browser that does not know one of the types: ask for its default kinds
      }
    }
    return null;
  }

  let windowsSent = null;

  async function sendWindows() {
    const seen = await windowsSeen();
    const key = seen === null ? null : seen.count + "/" + seen.focused;
    if (seen !== null && key !== windowsSent) {
      windowsSent = key;
      send({ type: "windows", count: seen.count, focused: seen.focused });
    }
  }

  async function sendFullState() {
    await serversRead;
    let tabs = [];
    try {
      tabs = await api.tabs.query({});
    } catch (error) {
      tabs = [];
    }
    // The list is made after the last wait and sent at once: a page's lobby answer (or any tab update) handled
    // during a wait would otherwise be sent first and then overwritten by a list made before it.
    const seen = await windowsSeen();
    reported.clear();
    const list = [];
    for (const tab of tabs) {
      const described = describe(tab);
      if (described !== null && list.length < LIMITS.tabs) {
        reported.set(tab.id, JSON.stringify(described));
        list.push(described);
      }
    }
    const state = { type: "state", tabs: list, servers: serverList() };
    if (seen !== null) {
      state.windows = seen.count;
      state.focused = seen.focused;
    }
    windowsSent = seen === null ? null : seen.count + "/" + seen.focused;
    send(state);
    for (const described of list) { // after a restart of this script: ask the pages that can show a lobby again
      askLobby(described.id, described.providers);
    }
  }

  /** Ask the page of tab ``tabId`` whether it shows its lobby, when it is a service that can show one and has not
   * said (its content script answers with a "lobby" message; without one yet, it tells when it starts). */
  function askLobby(tabId, providers) {
    if (lobbies.has(tabId) || !providers.some((id) => LOBBY_PROVIDERS.has(id))) {
      return;
    }
    try {
      const asked = api.tabs.sendMessage(tabId, { kind: "lobby?" });
      if (asked && typeof asked.catch === "function") {
        asked.catch(() => undefined);
      }
    } catch (error) {
      // no content script in that tab (yet): it tells when it starts
    }
  }

  function scheduleReconnect() {
    if (retryTimer !== null) {
      return;
    }
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 300000);
  }

  function connect() {
    if (port !== null) {
      return;
    }
    let opened;
    try {
      opened = api.runtime.connectNative(DATA.hostName);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    port = opened;
    opened.onMessage.addListener((message) => {
      retryDelay = 1000;
      if (message && message.type === "resync") {
        sendFullState();
      } else if (message && message.type === "hello" && MPG.setLinkKey(message.linkKey)) {
        sendFullState(); // the links again, a name in one now under the app's pseudonym (or none without a key)
      }
    });
    opened.onDisconnect.addListener(() => {
      if (port === opened) {
        port = null;
      }
      void (api.runtime.lastError); // read, so Chromium does not log it as unchecked
      scheduleReconnect();
    });
    serversRead.then(() => {
      if (port === opened) {
        send({ type: "hello", version: DATA.version, browser: BROWSER, servers: serverList() });
      }
    });
    sendFullState();
  }

  /** Each kind of report has its own budget per tab, so names a page floods in never crowd out its
   * notices; a notice with a catalog phrase not yet sent for the tab always goes (few phrases exist). */
  function pageReportAllowed(tabId, kind, phrases) {
    const now = Date.now();
    const key = tabId + "/" + kind;
    const recent = (pageReports.get(key) || []).filter((at) => now - at < 60000);
    const known = phrasesForwarded.get(tabId) || new Set();
    const fresh = phrases.some((id) => !known.has(id));
    if (recent.length >= LIMITS.pageReportsPerMinute && !fresh) {
      pageReports.set(key, recent);
      return false;
    }
    recent.push(now);
    pageReports.set(key, recent);
    phrases.forEach((id) => known.add(id));
    phrasesForwarded.set(tabId, known);
    return true;
  }

  api.runtime.onMessage.addListener((message, sender) => {
    const tab = sender && sender.tab;
    if (!tab || sender.id !== api.runtime.id || !message) {
      return;
    }
    if (message.kind === "lobby" && typeof message.lobby === "boolean") {
      // Kept at once; told with the tab's next report when a page flips it faster than the budget allows.
      lobbies.set(tab.id, message.lobby);
      if (pageReportAllowed(tab.id, "lobby", [])) {
        update(tab);
      }
      return;
    }
    if (typeof message.text !== "string") {
      return;
    }
    if (message.kind !== "notice" && message.kind !== "participant") {
      return;
    }
    // Which catalog phrases the page showed; the app matches the text itself and may ignore these.
    const phrases = message.kind === "notice" && Array.isArray(message.phrases)
      ? message.phrases.filter((id) => typeof id === "string" && PHRASE_ID.test(id)).slice(0, 8) : [];
    const described = describe(tab);
    if (described === null || !pageReportAllowed(tab.id, message.kind, phrases)) {
      return;
    }
    const limit = message.kind === "notice" ? LIMITS.notice : LIMITS.participant;
    const text = MPG.plain(message.text, limit);
    const report = { type: message.kind, tab: tab.id, providers: described.providers, text: text };
    if (message.kind === "notice" && Array.isArray(message.phrases)) {
      report.phrases = phrases;
    }
    send(report);
  });

  api.windows.onCreated.addListener(() => { sendWindows(); });
  api.windows.onRemoved.addListener(() => { sendWindows(); });
  // Moving the focus to a window this extension cannot see (incognito) is told as no window focused.
  api.windows.onFocusChanged.addListener(() => { sendWindows(); });
  api.tabs.onCreated.addListener((tab) => update(tab));
  api.tabs.onUpdated.addListener((tabId, changeInfo, tab) => {
    if (changeInfo.status === "loading") {
      lobbies.delete(tabId); // a new page: its content script tells again
    } else if (changeInfo.status === "complete" && tab && typeof tab.url === "string") {
      // A "loading" event can reach this script after the page's answer (events queued while a service worker
      // starts, as at browser start): ask again once the page has loaded, or the tab would wait unsaid.
      askLobby(tabId, MPG.meetingProviders(tab.url, tab.title || "", servers));
    }
    update(tab);
  });
  api.tabs.onRemoved.addListener((tabId) => closed(tabId));
  api.tabs.onReplaced.addListener((addedId, removedId) => {
    closed(removedId);
    api.tabs.get(addedId).then(update, () => undefined);
  });
  api.tabs.onActivated.addListener((info) => {
    // The tab that went to the background changes too: look at every tab of that window.
    api.tabs.query({ windowId: info.windowId }).then((tabs) => tabs.forEach(update), () => undefined);
  });

  // The options page stores a server once the user granted its host; the browser's own settings can withdraw it.
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.servers) {
      serversChanged();
    }
  });
  api.permissions.onAdded.addListener(() => serversChanged());
  api.permissions.onRemoved.addListener((removed) => {
    const gone = new Set(removed.origins || []);
    api.storage.local.get("servers").then((stored) => {
      const list = Array.isArray(stored.servers) ? stored.servers : [];
      const left = list.filter((server) => !(server && gone.has(origin(server.host))));
      return left.length === list.length ? serversChanged() : api.storage.local.set({ servers: left });
    }).catch(() => serversChanged());
  });

  connect();
})();
