/* Meeting Privacy Guard: the content script, on the catalog's meeting pages only (and on the servers the user added
 * in the options page, registered there by background.js once the user granted each host).
 *
 * It looks for two things a participant needs to know and reports them to the background
 * script, which tells the app on this computer:
 *   - an AI, recording or transcription notice shown in a dialog, an alert or status banner or an
 *     aria-live region, matched against the catalog's notice words for this service; never the chat
 *     (messages, their list or log, the box they are typed in), whose text people in the meeting write;
 *   - a participant whose display name is a note-taker bot's (catalog participant names);
 *   - whether the page shows its pre-join or lobby screen (the catalog's lobby selectors for this
 *     service: an element its own source renders only there, counted while shown), so a lobby is not taken
 *     for a meeting; where no source names such an element, the catalog's lobby words for the language the page
 *     declares (<html lang>), as the whole text of one shown element outside lists and editable text (a chat
 *     line), found among the text the observer already hands over.
 * A MutationObserver hands over what changed; each batch does bounded work (a cap on records,
 * nodes and characters looked at), matching is a plain substring test on normalised text, and
 * nothing else of the page is read or sent. The app re-checks every report with its own matcher.
 *
 * Data minimisation: of a dialog that shows a notice only the sentence(s) holding the catalog's
 * words leave the page (a heading, a button, a name elsewhere in the dialog stay), cut to a few
 * hundred characters, with the ids of the catalog phrases found ("<provider>/<feature>/<n>", the
 * n-th notice of that feature in catalog order). Where no sentence of sane length holds the words
 * (they straddle blocks, or a page made one endless sentence) the catalog's own words are sent.
 */
"use strict";

(function main() {
  const root = globalThis;
  if (root.MPG_CONTENT_LOADED) {
    return;
  }
  root.MPG_CONTENT_LOADED = true;
  const DATA = root.MPG_DATA;
  const MPG = root.MPG;
  const LIMITS = DATA.limits;
  // Set only by the benchmark page, which loads this file as a page script: an extension's content
  // script runs in its own world, where page scripts cannot define or read this.
  const bench = root.MPG_BENCH || null;
  const api = root.browser || root.chrome;
  const providers = bench ? bench.providers : root.MPG_SERVER_PROVIDERS || MPG.providersForUrl(location.href);
  if (providers.length === 0) {
    if (!bench && api.storage && root.MPG_SERVER_PROVIDERS === undefined) {
      // Registered on a server the user added (background.js): the stored list says which service runs there, and
      // this runs again knowing it.
      root.MPG_SERVER_PROVIDERS = [];
      api.storage.local.get("servers").then((stored) => {
        const listed = MPG.cleanServers(stored.servers).servers.map((server) => [server.host, server.provider]);
        root.MPG_SERVER_PROVIDERS = MPG.serverProviders(location.href, new Map(listed));
        if (root.MPG_SERVER_PROVIDERS.length > 0) {
          root.MPG_CONTENT_LOADED = false;
          main();
        }
      }, () => undefined);
    }
    return;
  }

  const CONTAINERS = 'dialog,[role="dialog"],[role="alertdialog"],[role="alert"],[role="status"],[aria-live]';
  // What people in the meeting type is never the service's own notice, whatever it says: a meeting page often shows its
  // chat in an aria-live or status region. Text inside these is skipped, and a container inside one is no notice: a chat
  // log or feed (ARIA's role for a chat), editable text, and the chat lists and messages of the services' own pages, as
  // open-source meeting bots read them (Vexa-ai/vexa teams-chat.ts, zoom-chat.ts, jitsi-chat.ts at 4647c96e; Meet's
  // message attributes as ndazeo/meetsoup inject.js reads them).
  const NOT_NOTICE = ['[role="log"]', '[role="feed"]', "[contenteditable]", "textarea", "input",
    '[data-message-text]', '[data-sender-name]', // Google Meet
    '[data-tid^="chat-pane"]', '[data-tid="message-pane-list-runway"]', '[data-tid="chatPaneMessageList"]',
    '[data-tid="messageBodyContent"]', // Teams
    '[aria-label="Chat Message List"]', ".chat-container__chat-list", ".new-chat-message__container", // Zoom
    "#chatconversation", ".chatmessage", '[class*="chat-message-group"]', // Jitsi Meet
  ].join(",");
  // Elements that flow inside a line: their text belongs to the sentence around them. Any other
  // element starts a block of its own, and a sentence never runs from one block into the next.
  const INLINE = new Set(["A", "ABBR", "B", "BDI", "BDO", "CITE", "CODE", "DATA", "DFN", "EM", "FONT", "I", "KBD",
    "LABEL", "MARK", "Q", "S", "SAMP", "SMALL", "SPAN", "STRONG", "SUB", "SUP", "TIME", "U", "VAR"]);
  const SENTENCE_ENDS = new Set([".", "!", "?", "\u2026", "\u3002", "\uff01", "\uff1f"]);
  const SENTENCE_CAP = 300; // characters of one reported sentence run; a real notice is far shorter
  const PHRASES_PER_REPORT = 8;
  const notices = [];
  const phraseCount = new Map();
  for (const notice of DATA.notices) { // ids count every notice, so they do not depend on the page's providers
    const feature = notice.provider + "/" + notice.feature;
    const n = phraseCount.get(feature) || 0;
    phraseCount.set(feature, n + 1);
    if (providers.includes(notice.provider)) {
      notices.push({ id: feature + "/" + n, text: notice.text, sentences: sentences(notice.text).length });
    }
  }
  const botNames = [];
  for (const bot of DATA.bots) {
    for (const text of bot.texts) {
      botNames.push(text);
    }
  }
  // What was reported, per kind: bot-like names (a chat line can read like one) never use up the
  // notices' budget. A notice naming a catalog phrase not reported before always goes out (there are
  // only so many phrases), so no flood of look-alike text can keep a real notice in the page.
  const lobbySelectors = [];
  for (const lobby of DATA.lobbies || []) {
    if (providers.includes(lobby.provider)) {
      lobbySelectors.push(...lobby.selectors);
    }
  }
  // Lobby words for the page's declared language only: words in another language, or on a page that declares none, are
  // never looked for (the same words may mean something else there).
  const pageLanguage = (document.documentElement.getAttribute("lang") || "").trim().toLowerCase().split("-")[0];
  const lobbyTexts = [];
  for (const lobby of DATA.lobbies || []) {
    if (providers.includes(lobby.provider) && lobby.texts && Array.isArray(lobby.texts[pageLanguage])) {
      lobbyTexts.push(...lobby.texts[pageLanguage]);
    }
  }
  // A text node is compared with the words only when its length is near theirs (an ellipsis, spaces or invisible
  // characters around them), so the many other text nodes of a busy page cost a length test.
  const LOBBY_TEXT_SLACK = 40;
  const lobbyTextMin = Math.min(...lobbyTexts.map((words) => words.length));
  const lobbyTextMax = Math.max(...lobbyTexts.map((words) => words.length)) + LOBBY_TEXT_SLACK;
  const lobbyTextHeads = lobbyTexts.map((words) => words.split(" ")[0]); // and only when it holds their first word
  // Lists, the chat, and Meet's participant tiles ([data-participant-id], each showing its participant's display name:
  // Vexa-ai/vexa gmeet-speakers.ts and attendee-labs/attendee's Meet payload read them so), since a guest who joins
  // named 'Asking to be let in' would turn everyone's call into a lobby, and no notice would be asked.
  const NOT_LOBBY_TEXT = 'ul,ol,li,[role="list"],[role="listitem"],[data-participant-id],' + NOT_NOTICE;
  // What only a call shows, never its lobby: Meet's participant tiles (Vexa-ai/vexa at 4647c96e, core/meetings/modules/
  // join/src/googlemeet/selectors.ts, googleInitialAdmissionIndicators: "only indicators that do NOT appear in the
  // lobby"). While one is in the page the lobby words are not its screen's (a hostile event title, a caption).
  const IN_CALL = "[data-participant-id]";
  let lobbyTextNode = null; // the text node last seen holding the lobby words
  let inLobby = null; // as last reported: null before the first look
  const LOBBY_ELEMENTS = 8; // elements of one lobby selector looked at, so a page full of them costs little
  if ((lobbySelectors.length > 0 || lobbyTexts.length > 0) && !bench) {
    api.runtime.onMessage.addListener((message) => {
      if (message && message.kind === "lobby?") { // the background script restarted: tell it again
        inLobby = null;
        checkLobby();
      }
    });
  }
  const sent = { notice: new Set(), participant: new Set() };
  const phrasesSent = new Set();
  const hidden = new Set(); // containers whose text matched while they were not shown
  let rescanTimer = null;

  function post(kind, text, phrases) {
    const seen = sent[kind];
    const fresh = Boolean(phrases) && phrases.some((id) => !phrasesSent.has(id));
    if (seen.has(text) || (seen.size >= LIMITS.reportsPerPage && !fresh)) {
      return;
    }
    seen.add(text);
    for (const id of phrases || []) {
      phrasesSent.add(id);
    }
    send(phrases ? { kind, text, phrases } : { kind, text });
  }

  /** Hand ``message`` to the extension (or to the benchmark that loaded this script). */
  function send(message) {
    if (bench) {
      bench.sent.push(message);
      return;
    }
    try {
      const answer = api.runtime.sendMessage(message);
      if (answer && typeof answer.catch === "function") {
        answer.catch(() => undefined);
      }
    } catch (error) {
      // The extension was reloaded or removed: this page's script is orphaned; stop quietly.
      observer.disconnect();
    }
  }

  /** The element's text, read node by node up to ``limit`` characters: a space between the text
   * nodes of one block, a line break where a new block starts. */
  function textOf(element, limit) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let text = "";
    let nodes = 0;
    let block = null;
    while (text.length < limit && nodes < LIMITS.nodesPerContainer && walker.nextNode()) {
      const node = walker.currentNode;
      const chat = node.parentElement && node.parentElement.closest(NOT_NOTICE);
      if (chat && chat !== element && element.contains(chat)) {
        nodes += 1; // a chat message in the container: none of its words are the service's
        continue;
      }
      let parent = node.parentElement;
      while (parent && parent !== element && INLINE.has(parent.tagName)) {
        parent = parent.parentElement;
      }
      text += (nodes > 0 && parent !== block ? "\n" : "") + node.data + " ";
      block = parent;
      nodes += 1;
    }
    return MPG.cut(text, limit);
  }

  /** ``text`` cut into sentences: after a run of . ! ? \u2026 (or their CJK forms) followed by a space,
   * and at every line break. One pass, no pattern. */
  function sentences(text) {
    const found = [];
    let start = 0;
    for (let index = 0; index < text.length; index += 1) {
      const char = text[index];
      if (char === "\n") {
        found.push(text.slice(start, index));
        start = index + 1;
      } else if (SENTENCE_ENDS.has(char)) {
        let end = index + 1;
        while (end < text.length && SENTENCE_ENDS.has(text[end])) {
          end += 1;
        }
        if (end === text.length || /\s/.test(text[end])) {
          found.push(text.slice(start, end));
          start = end;
        }
        index = end - 1;
      }
    }
    found.push(text.slice(start));
    return found.filter((sentence) => sentence.trim().length > 0);
  }

  /** What of ``text`` to report for the ``found`` notices: the shortest runs of whole sentences that
   * hold each one's words (in page order, each once), else the catalog's words; and their ids. */
  function excerpt(text, found) {
    const parts = sentences(text);
    const normalised = parts.map((part) => MPG.normalise(part));
    const chosen = new Set();
    const fallback = [];
    for (const notice of found) {
      let run = null;
      for (let size = notice.sentences; size <= notice.sentences + 2 && run === null; size += 1) {
        for (let first = 0; first + size <= parts.length; first += 1) {
          if (normalised.slice(first, first + size).join(" ").includes(notice.text)) {
            run = [first, size];
            break;
          }
        }
      }
      const length = run === null ? Infinity
        : parts.slice(run[0], run[0] + run[1]).reduce((sum, part) => sum + part.length, 0);
      if (length <= SENTENCE_CAP) {
        for (let index = run[0]; index < run[0] + run[1]; index += 1) {
          chosen.add(index);
        }
      } else if (!fallback.includes(notice.text)) {
        fallback.push(notice.text);
      }
    }
    const kept = [...chosen].sort((a, b) => a - b).map((index) => parts[index].trim());
    return {
      text: MPG.plain(kept.concat(fallback).join(" "), LIMITS.notice),
      phrases: found.map((notice) => notice.id),
    };
  }

  function shown(element) {
    if (typeof element.checkVisibility === "function") {
      return element.checkVisibility();
    }
    return element.getClientRects().length > 0;
  }

  function checkContainer(element) {
    if (notices.length === 0 || element.closest(NOT_NOTICE)) {
      return; // a container in or of the chat shows what people typed
    }
    const text = textOf(element, LIMITS.containerText);
    const normalised = MPG.normalise(text);
    const found = notices.filter((notice) => normalised.includes(notice.text)).slice(0, PHRASES_PER_REPORT);
    if (found.length === 0) {
      hidden.delete(element);
      return;
    }
    if (!shown(element)) {
      if (hidden.size < LIMITS.hiddenContainers) {
        hidden.add(element);
      }
      return;
    }
    hidden.delete(element);
    const report = excerpt(text, found);
    post("notice", report.text, report.phrases);
  }

  function checkName(text) {
    if (botNames.length === 0 || typeof text !== "string") {
      return;
    }
    const name = text.trim();
    if (name.length === 0 || name.length > LIMITS.participant) {
      return; // a display name is short; longer text (a chat line mentioning a bot) is not a participant
    }
    const normalised = MPG.normalise(name);
    if (botNames.some((bot) => normalised.includes(bot))) {
      post("participant", name);
    }
  }

  /** Whether ``text`` is the lobby words alone (an ellipsis after them allowed). */
  function isLobbyText(text) {
    if (lobbyTexts.length === 0 || typeof text !== "string" || text.length < lobbyTextMin || text.length > lobbyTextMax) {
      return false;
    }
    const lowered = text.toLowerCase();
    if (!lobbyTextHeads.some((head) => lowered.includes(head))) {
      return false;
    }
    let words = MPG.normalise(text);
    while (words.endsWith(".")) {
      words = words.slice(0, -1).trimEnd();
    }
    return lobbyTexts.includes(words);
  }

  /** Remember a text node that holds the lobby words, unless it is part of a list, a log or editable text. */
  function noteLobbyText(node) {
    if (isLobbyText(node.data) && node.parentElement && !node.parentElement.closest(NOT_LOBBY_TEXT)) {
      lobbyTextNode = node;
    }
  }

  /** Text nodes under ``node`` as possible display names, and the notice containers in and around it. */
  function visit(node, containers, budget) {
    if (node.nodeType === Node.TEXT_NODE) {
      checkName(node.data);
      noteLobbyText(node);
      budget.nodes -= 1;
      const parent = node.parentElement && node.parentElement.closest(CONTAINERS);
      if (parent) {
        containers.add(parent);
      }
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    const around = node.closest(CONTAINERS);
    if (around) {
      containers.add(around);
    }
    for (const inside of node.querySelectorAll(CONTAINERS)) {
      if (containers.size >= LIMITS.containersPerBatch) {
        budget.truncated = true;
        break;
      }
      containers.add(inside);
    }
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (budget.nodes <= 0) {
        budget.truncated = true;
        return;
      }
      checkName(walker.currentNode.data);
      noteLobbyText(walker.currentNode);
      budget.nodes -= 1;
    }
  }

  function handle(records) {
    const started = bench ? performance.now() : 0;
    const containers = new Set();
    const budget = { nodes: LIMITS.nodesPerBatch, truncated: records.length > LIMITS.recordsPerBatch };
    const count = Math.min(records.length, LIMITS.recordsPerBatch);
    for (let index = 0; index < count && budget.nodes > 0; index += 1) {
      const record = records[index];
      if (record.type === "childList") {
        for (const added of record.addedNodes) {
          if (budget.nodes <= 0) {
            budget.truncated = true;
            break;
          }
          visit(added, containers, budget);
        }
      } else if (record.type === "characterData") {
        visit(record.target, containers, budget);
      } else if (record.target.nodeType === Node.ELEMENT_NODE) {
        const around = record.target.closest(CONTAINERS);
        if (around) {
          containers.add(around);
        }
      }
    }
    for (const element of hidden) { // shown since? (a class or style change revealed it)
      containers.add(element);
    }
    let checked = 0;
    for (const element of containers) {
      if (checked >= LIMITS.containersPerBatch) {
        budget.truncated = true;
        break;
      }
      if (element.isConnected) {
        checkContainer(element);
      } else {
        hidden.delete(element);
      }
      checked += 1;
    }
    if (budget.truncated) {
      scheduleRescan();
    }
    checkLobby();
    if (bench) {
      bench.batches.push(performance.now() - started);
    }
  }

  function scan() {
    const containers = new Set();
    const budget = { nodes: LIMITS.nodesPerScan, truncated: false };
    if (document.body) {
      visit(document.body, containers, budget);
    }
    let checked = 0;
    for (const element of containers) {
      if (checked >= LIMITS.containersPerScan) {
        break;
      }
      checkContainer(element);
      checked += 1;
    }
    checkLobby();
  }

  /** Whether the page shows what only a call shows (a participant's tile), where the lobby words are someone's
   * text: a caption, a calendar event's title, a name. */
  function inCall() {
    return document.querySelector(IN_CALL) !== null;
  }

  /** Whether the page shows its lobby now: an element of a catalog selector that is shown (a lobby screen an
   * app keeps hidden in the page once the participant has joined is no lobby); told when it changes. */
  function checkLobby() {
    if (lobbySelectors.length === 0 && lobbyTexts.length === 0) {
      return;
    }
    if (lobbyTextNode !== null && !(lobbyTextNode.isConnected && isLobbyText(lobbyTextNode.data))) {
      lobbyTextNode = null; // removed, or its text changed
    }
    const byText = lobbyTextNode !== null && shown(lobbyTextNode.parentElement) && !inCall();
    const now = byText || lobbySelectors.some((selector) => {
      try {
        const found = document.querySelectorAll(selector);
        for (let index = 0; index < found.length && index < LOBBY_ELEMENTS; index += 1) {
          if (shown(found[index])) {
            return true;
          }
        }
        return false;
      } catch (error) {
        return false;
      }
    });
    if (now === inLobby) {
      return;
    }
    inLobby = now;
    send({ kind: "lobby", lobby: now });
  }

  function scheduleRescan() {
    if (rescanTimer !== null) {
      return;
    }
    rescanTimer = setTimeout(() => {
      rescanTimer = null;
      scan();
    }, LIMITS.rescanDelayMs);
  }

  const observer = new MutationObserver(handle);
  observer.observe(document.documentElement, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["open", "hidden", "aria-hidden", "role", "aria-live", "class", "style"],
  });
  scan();
})();
