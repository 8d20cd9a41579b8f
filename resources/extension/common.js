/* Meeting Privacy Guard: shared by the background script and the content script.
 *
 * Pure functions over MPG_DATA (data.js, generated from the app's provider catalog): which
 * meeting service a link belongs to, the link with its secrets cut out (the same rules as the
 * app's guard/detect/redaction.py), text normalised for plain substring matching (the same
 * steps as the app's guard/catalog/notices.py), and length caps. Everything here is linear in
 * the text it is given; nothing here talks to the network or writes to a page.
 */
"use strict";

(function (root) {
  if (root.MPG) {
    return; // already loaded in this world
  }
  const DATA = root.MPG_DATA;
  const LIMITS = DATA.limits;
  const SECRET_KEYS = new Set(DATA.secretKeys);
  const PERSONAL_PATHS = DATA.personalPaths || [];
  const REDACTED = "\u2026";
  const PSEUDONYM = "redacted-";
  const ENCODER = new TextEncoder();

  const DASHES = /[\u2010-\u2015\u2043\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]/g;
  const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032]/g;
  const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
  const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\r\n\f\v]/g;
  // The characters guard/patterns.py drops before matching: Unicode's default-ignorable ones (zero-width, bidi marks,
  // soft hyphen, variation selectors, fillers, tags U+E0000-U+E0FFF, shorthand and musical format controls).
  const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8]|[\udb40-\udb43][\udc00-\udfff]|\ud82f[\udca0-\udca3]|\ud834[\udd73-\udd7a]/g;
  const C0_C1 = /[\u0000-\u001f\u007f-\u009f]/g;
  const RUNS_OF_SPACES = / +/g;
  const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

  /** ``text`` (a string) cut to at most ``limit`` UTF-16 units, never between the two halves of a
   * surrogate pair: a cut emoji would leave a lone half, which the app can only show as U+FFFD. */
  function cut(text, limit) {
    if (text.length <= limit) {
      return text;
    }
    const last = text.charCodeAt(limit - 1);
    return text.slice(0, last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit);
  }

  /** Cut ``text`` to ``limit`` characters (``""`` for anything that is not a string). */
  function cap(text, limit) {
    if (typeof text !== "string") {
      return "";
    }
    return cut(text, limit);
  }

  /** One line of plain text: control and bidi characters become spaces, runs of spaces one. */
  function plain(text, limit) {
    return cut(cap(text, limit * 2).replace(CONTROLS, " ").replace(SPACES, " ")
      .replace(RUNS_OF_SPACES, " ").trim(), limit);
  }

  /** Lower case, one kind of dash, quote and space, invisible characters dropped. */
  function normalise(text) {
    return cap(text, LIMITS.matchText)
      .replace(INVISIBLE, "").replace(C0_C1, " ")
      .replace(DASHES, "-").replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"')
      .replace(SPACES, " ").replace(/\u2026/g, "...")
      .toLowerCase().replace(/\u00df/g, "ss")
      .replace(RUNS_OF_SPACES, " ").trim();
  }

  function paramName(raw) {
    let name = raw.replace(/\+/g, " ");
    try {
      name = decodeURIComponent(name);
    } catch (error) {
      name = raw;
    }
    return name.trim().toLowerCase();
  }

  /** A secret's parameter name, read after the last "?" in it (a fragment route's own query: #/meet/<id>?p=);
   * in an encoded value after the last "%3F" or "?", whichever comes later (Google Calendar's redirect:
   * url?q=https://us02web.zoom.us/j/<id>?pwd%3D<passcode>&sa=D). */
  function isSecret(name, queryMarks) {
    let cut = -1;
    let after = 0;
    for (const mark of queryMarks) {
      const found = Math.max(name.lastIndexOf(mark), name.lastIndexOf(mark.toUpperCase()));
      if (found > cut) {
        cut = found;
        after = found + mark.length;
      }
    }
    return SECRET_KEYS.has(paramName(cut === -1 ? name : name.slice(after)));
  }

  /** A value that is itself a percent-encoded link with a query (url=%2F_%23%2Fmeet%2F<id>%3Fp%3D...). */
  function redactEncoded(value) {
    const lowered = value.toLowerCase();
    if (lowered.indexOf("%3d") === -1 || lowered.length !== value.length) {
      return value;
    }
    let out = "";
    let start = 0;
    for (;;) {
      const found = lowered.indexOf("%26", start);
      const piece = value.slice(start, found === -1 ? value.length : found);
      const equals = piece.toLowerCase().indexOf("%3d");
      if (equals !== -1 && piece.length > equals + 3 && isSecret(piece.slice(0, equals), ["%3f", "?"])) {
        out += piece.slice(0, equals + 3) + REDACTED;
      } else {
        out += piece;
      }
      if (found === -1) {
        return out;
      }
      out += value.slice(found, found + 3);
      start = found + 3;
    }
  }

  const LOCAL = new Set("abcdefghijklmnopqrstuvwxyz0123456789._+-");
  const DOMAIN = new Set("abcdefghijklmnopqrstuvwxyz0123456789-");

  function allIn(text, chars) {
    for (const ch of text) {
      if (!chars.has(ch)) {
        return false;
      }
    }
    return true;
  }

  /** An e-mail address as a link writes it (jane%40example.com): personal data whatever the parameter is
   * called; a Teams thread id (19:meeting_...@thread.v2) is none. guard/detect/redaction.py is_address. */
  function isAddress(value) {
    const lowered = value.toLowerCase().split("%40").join("@").split("%2b").join("+");
    const at = lowered.lastIndexOf("@");
    if (at <= 0 || !allIn(lowered.slice(0, at), LOCAL)) {
      return false;
    }
    const labels = lowered.slice(at + 1).split(".");
    const last = labels[labels.length - 1];
    return labels.length >= 2 && labels.every((label) => label.length > 0 && allIn(label, DOMAIN))
      && last.length >= 2 && /^[a-z]+$/.test(last);
  }

  /** ASCII letters in lower case, nothing else changed (guard/detect/redaction.py _UPPER). */
  function asciiLower(text) {
    return text.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  }

  // SHA-256 (FIPS 180-4) and HMAC (RFC 2104), synchronous: a link is redacted where it is described, and
  // crypto.subtle only answers later. Checked against Python's hmac by the shared cases in real browsers.
  const K256 = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function sha256(bytes) {
    const length = bytes.length;
    const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let block = 0; block < padded.length; block += 64) {
      for (let i = 0; i < 16; i += 1) {
        w[i] = view.getUint32(block + i * 4);
      }
      for (let i = 16; i < 64; i += 1) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, k] = h;
      for (let i = 0; i < 64; i += 1) {
        const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g;
        g = f;
        f = e;
        e = (d + t1) >>> 0;
        d = c;
        c = b;
        b = a;
        a = (t1 + t2) >>> 0;
      }
      [a, b, c, d, e, f, g, k].forEach((value, i) => {
        h[i] = (h[i] + value) >>> 0;
      });
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    h.forEach((value, i) => outView.setUint32(i * 4, value));
    return out;
  }

  function hmacSha256(key, message) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sha256(key) : key);
    const inner = new Uint8Array(64 + message.length);
    const outer = new Uint8Array(64 + 32);
    for (let i = 0; i < 64; i += 1) {
      inner[i] = block[i] ^ 0x36;
      outer[i] = block[i] ^ 0x5c;
    }
    inner.set(message, 64);
    outer.set(sha256(inner), 64);
    return sha256(outer);
  }

  const DIGITS = 16; // hex digits of the HMAC kept (guard/detect/redaction.py DIGITS)
  const KEY_HEX = /^[0-9a-f]{64}$/;
  let linkKey = null; // the app's link key (guard/link_key.py), given in the host's hello; none: no pseudonym

  /** Use the app's link key (64 hex digits; anything else: none). True when it changed. */
  function setLinkKey(hex) {
    const key = typeof hex === "string" && KEY_HEX.test(hex)
      ? Uint8Array.from(hex.match(/../g), (pair) => parseInt(pair, 16)) : null;
    const changed = (key === null) !== (linkKey === null)
      || (key !== null && key.some((byte, i) => byte !== linkKey[i]));
    linkKey = key;
    return changed;
  }

  /** "redacted-" and the first 16 hex digits of HMAC-SHA-256 under the app's link key of a name in lower case:
   * one name, one pseudonym, the app's own (guard/detect/redaction.py pseudonym_with); without the key, "redacted"
   * alone, never an unkeyed hash that a list of names reverses. */
  function pseudonym(name) {
    if (linkKey === null) {
      return PSEUDONYM.slice(0, -1);
    }
    const digest = hmacSha256(linkKey, ENCODER.encode(asciiLower(name)));
    return PSEUDONYM + Array.from(digest.slice(0, DIGITS / 2), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  function isPseudonym(text) {
    return text === PSEUDONYM.slice(0, -1) || (text.length === PSEUDONYM.length + DIGITS
      && text.startsWith(PSEUDONYM) && /^[0-9a-f]+$/.test(text.slice(PSEUDONYM.length)));
  }

  function aName(segment) {
    return /[a-z]/.test(asciiLower(segment)) && !isPseudonym(segment);
  }

  function conferenceId(segment) {
    return /^(?:[0-9]{6,8}|[A-Z0-9]{8})$/.test(segment);
  }

  function personAt(host, segments) {
    for (const rule of PERSONAL_PATHS) {
      if (rule.segment === "organiser") {
        if (host.startsWith("meet.") && segments.length === 2 && conferenceId(segments[1])) {
          return 0;
        }
        if (segments.length === 3 && asciiLower(segments[0]) === "meet" && conferenceId(segments[2])) {
          return 1;
        }
        continue;
      }
      if (!(rule.hosts || []).some((domain) => host === domain || host.endsWith("." + domain))) {
        continue;
      }
      if (rule.segment === "before-last") {
        return segments.length >= 3 ? segments.length - 2 : -1;
      }
      const after = rule.after || [];
      if (after.includes("") && segments.length > 0) {
        return 0;
      }
      if (segments.length >= 2 && after.includes(asciiLower(segments[0]))) {
        return 1;
      }
    }
    return -1;
  }

  /** A link without its query and fragment, with each path segment that names a person as its pseudonym
   * (guard/detect/redaction.py personal_path). */
  function personalPath(head) {
    const sep = head.indexOf("://");
    if (sep === -1 || !["http", "https"].includes(head.slice(0, sep).toLowerCase())) {
      return head;
    }
    const rest = head.slice(sep + 3);
    const slash = rest.indexOf("/");
    if (slash === -1) {
      return head;
    }
    const authority = rest.slice(0, slash);
    let host = authority.slice(authority.lastIndexOf("@") + 1);
    const colon = host.indexOf(":");
    host = (colon === -1 ? host : host.slice(0, colon)).toLowerCase().replace(/\.+$/, "");
    const parts = rest.slice(slash).split("/");
    const named = [];
    parts.forEach((part, index) => {
      if (part) {
        named.push(index);
      }
    });
    const person = personAt(host, named.map((index) => parts[index]));
    let changed = false;
    named.forEach((index, order) => {
      const part = parts[index];
      if ((order === person || isAddress(part)) && aName(part)) {
        parts[index] = pseudonym(part);
        changed = true;
      }
    });
    return changed ? head.slice(0, sep + 3) + authority + parts.join("/") : head;
  }

  /** A SIP address value (uri=sip%3A<user>%40<domain>%3B...) with its user part as a pseudonym. */
  function sipUser(value) {
    const lowered = value.toLowerCase();
    const start = lowered.startsWith("sip%3a") ? 6 : lowered.startsWith("sip:") ? 4 : -1;
    if (start === -1) {
      return value;
    }
    const ends = [lowered.indexOf("%40", start), lowered.indexOf("@", start)].filter((found) => found !== -1);
    if (ends.length === 0) {
      return value;
    }
    const end = Math.min(...ends);
    const user = value.slice(start, end);
    return user && aName(user) ? value.slice(0, start) + pseudonym(user) + value.slice(end) : value;
  }

  // A Teams join link's context names its organiser ("Oid"): as JSON, or percent-encoded once or twice.
  // A Teams context's quotes, colon and spaces in each form: JSON, percent-encoded once or twice, or half so (a
  // browser keeps the JSON's "{", ":" and "," and encodes its quotes: the tab's link).
  const OID_QUOTES = ['"', "%22", "%2522"];
  const OID_COLONS = [":", "%3a", "%253a"];
  const OID_BLANKS = [" ", "+", "%20", "%2520"];
  const OID_MOST_BLANKS = 4;

  function oneOf(lowered, at, marks) {
    return marks.find((mark) => lowered.startsWith(mark, at));
  }

  function pastBlanks(lowered, at) {
    for (let count = 0; count < OID_MOST_BLANKS; count += 1) {
      const blank = oneOf(lowered, at, OID_BLANKS);
      if (blank === undefined) {
        break;
      }
      at += blank.length;
    }
    return at;
  }

  /** [where the value of a quoted "oid" key at ``at`` starts, its closing quote], or null (redaction.py _oid_value). */
  function oidValue(lowered, at) {
    if (!OID_QUOTES.some((quote) => at >= quote.length && lowered.startsWith(quote, at - quote.length))) {
      return null;
    }
    let after = at + 3;
    const quote = oneOf(lowered, after, OID_QUOTES);
    if (quote === undefined) {
      return null;
    }
    after = pastBlanks(lowered, after + quote.length);
    const colon = oneOf(lowered, after, OID_COLONS);
    if (colon === undefined) {
      return null;
    }
    after = pastBlanks(lowered, after + colon.length);
    const opening = oneOf(lowered, after, OID_QUOTES);
    return opening === undefined ? null : [after + opening.length, opening];
  }

  /** The organiser's object id in a Teams link's context cut (guard/detect/redaction.py organiser_ids). */
  function organiserIds(url) {
    const lowered = asciiLower(url);
    if (!lowered.includes("oid")) {
      return url;
    }
    let out = "";
    let start = 0;
    let at = 0;
    while ((at = lowered.indexOf("oid", at)) !== -1) {
      const found = oidValue(lowered, at);
      if (found === null) {
        at += 3;
        continue;
      }
      const [valueAt, close] = found;
      const end = lowered.indexOf(close, valueAt);
      if (end === -1) { // a link cut inside the id (a length cap): the rest is the id
        return out + url.slice(start, valueAt) + (valueAt < url.length ? REDACTED : "");
      }
      out += url.slice(start, valueAt) + (end > valueAt ? REDACTED : "");
      start = end;
      at = end;
    }
    return out + url.slice(start);
  }

  function redactParams(text) {
    if (text.indexOf("=") === -1 && text.toLowerCase().indexOf("%3d") === -1) {
      return text;
    }
    return text.split("&").map((part) => {
      const equals = part.indexOf("=");
      if (equals === -1 && part.indexOf("%") !== -1) { // its "=" percent-encoded (?pwd%3D<passcode>)
        return redactEncoded(part);
      }
      if (equals > 0 || equals === 0) {
        const name = part.slice(0, equals);
        const written = part.slice(equals + 1);
        if (written && (isSecret(name, ["?"]) || isAddress(written))) {
          return name + "=" + REDACTED;
        }
        const value = sipUser(written);
        // A value holding a link with its own query (url=/_%23/meet/<id>?p=...).
        const mark = value.lastIndexOf("?");
        const nested = mark === -1 ? "" : value.slice(mark + 1);
        const nestedEquals = nested.indexOf("=");
        if (mark !== -1 && nestedEquals !== -1 && nestedEquals < nested.length - 1
            && SECRET_KEYS.has(paramName(nested.slice(0, nestedEquals)))) {
          return name + "=" + value.slice(0, mark + 1) + nested.slice(0, nestedEquals + 1) + REDACTED;
        }
        if (value && value.indexOf("%") !== -1) {
          return name + "=" + redactEncoded(value);
        }
        return name + "=" + value;
      }
      return part;
    }).join("&");
  }

  function dropUserinfo(url) {
    const sep = url.indexOf("://");
    if (sep === -1) {
      return url;
    }
    const rest = url.slice(sep + 3);
    let end = rest.length;
    for (const stop of ["/", "?", "#"]) {
      const found = rest.indexOf(stop);
      if (found !== -1 && found < end) {
        end = found;
      }
    }
    const authority = rest.slice(0, end);
    const at = authority.lastIndexOf("@");
    if (at === -1) {
      return url;
    }
    return url.slice(0, sep + 3) + authority.slice(at + 1) + rest.slice(end);
  }

  /** The link with secret parameter values replaced by an ellipsis and user:password@ removed. */
  function redactUrl(url) {
    if (typeof url !== "string") {
      return "";
    }
    const conf = url.slice(0, 9).toLowerCase() === "conf:sip:" ? url.slice(0, 5) + sipUser(url.slice(5)) : url;
    const clean = dropUserinfo(organiserIds(conf));
    const hash = clean.indexOf("#");
    const base = hash === -1 ? clean : clean.slice(0, hash);
    const question = base.indexOf("?");
    let shown = question === -1 ? personalPath(base)
      : personalPath(base.slice(0, question)) + "?" + redactParams(base.slice(question + 1));
    if (hash !== -1) {
      shown += "#" + redactParams(clean.slice(hash + 1));
    }
    return shown;
  }

  /** Catalog provider ids whose meeting hosts include this link's host (``[]`` for any other link). */
  function providersForUrl(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch (error) {
      return [];
    }
    const scheme = parsed.protocol.slice(0, -1);
    if (scheme !== "https" && scheme !== "http") {
      return [];
    }
    const host = parsed.hostname.toLowerCase();
    const found = [];
    for (const rule of DATA.hosts) {
      if (rule.scheme === "https" && scheme !== "https") {
        continue;
      }
      if (host === rule.host || (rule.subdomains && host.endsWith("." + rule.host))) {
        for (const provider of rule.providers) {
          if (!found.includes(provider)) {
            found.push(provider);
          }
        }
      }
    }
    return found;
  }

  const MEETINGS = new Map(DATA.meetings.map((rule) => [rule.provider, rule]));
  const SELF_HOSTED = new Set((DATA.selfHosted || []).map((service) => service.provider));
  // A server's host name as guard/browser/messages.py SERVER_HOST reads it: lowercase ASCII labels (an IDN in its xn--
  // form), two or more, the last of letters. Each label is one bounded run of one class: linear.
  const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const LAST_LABEL = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

  function hostName(host) {
    if (typeof host !== "string" || host.length > LIMITS.serverHost) {
      return false;
    }
    const labels = host.split(".");
    return labels.length >= 2 && labels.length <= 127 && labels.every((label) => LABEL.test(label))
      && LAST_LABEL.test(labels[labels.length - 1]);
  }

  /** The host name of a server the user typed ("jitsi.example.org" or "https://jitsi.example.org/room"), or an
   * object ``{error}`` saying why it is none: https only, a host name (no wildcard, port, user name or address). */
  function serverHost(typed) {
    const text = typeof typed === "string" ? typed.trim() : "";
    if (text === "" || text.length > LIMITS.url) {
      return { error: "empty" };
    }
    if (text.includes("*")) {
      return { error: "wildcard" };
    }
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(text);
    if (scheme && scheme[0].toLowerCase() !== "https:") {
      return { error: "not-https" };
    }
    let parsed;
    try {
      parsed = new URL(scheme ? text : "https://" + text);
    } catch (error) {
      return { error: "not-a-host" };
    }
    if (parsed.port !== "" || parsed.username !== "" || parsed.password !== "") {
      return { error: "port-or-user" };
    }
    const host = parsed.hostname.toLowerCase().replace(/\.$/, "");
    if (!hostName(host)) {
      return { error: "not-a-host" };
    }
    if (providersForUrl("https://" + host + "/").length > 0) {
      return { error: "known" };
    }
    return { host: host };
  }

  /** The servers in ``list`` (what storage or a message holds: ``[{host, provider}]``) that may be used: a host name
   * not the catalog's, a self-hosted service of the catalog, each host once, at most LIMITS.servers; ``dropped``
   * counts the rest. */
  function cleanServers(list) {
    const servers = [];
    let dropped = 0;
    const hosts = new Set();
    for (const item of Array.isArray(list) ? list : []) {
      const host = item && typeof item.host === "string" ? item.host : "";
      const ok = item && hostName(host) && SELF_HOSTED.has(item.provider) && !hosts.has(host)
        && providersForUrl("https://" + host + "/").length === 0;
      if (!ok || servers.length >= LIMITS.servers) {
        dropped += 1;
        continue;
      }
      hosts.add(host);
      servers.push({ host: host, provider: item.provider });
    }
    return { servers: servers, dropped: dropped };
  }

  /** The service a server the user added runs, for this link (``[]`` on any other host); ``servers``: host -> id. */
  function serverProviders(url, servers) {
    if (!servers || servers.size === 0) {
      return [];
    }
    let parsed;
    try {
      parsed = new URL(url);
    } catch (error) {
      return [];
    }
    const provider = parsed.protocol === "https:" ? servers.get(parsed.hostname.toLowerCase()) : undefined;
    return provider === undefined ? [] : [provider];
  }

  function containsAll(pieces, text) {
    return pieces.every((piece) => text.includes(piece));
  }

  /** Providers for which this tab shows a meeting page: its host is theirs (or a server the user added for them:
   * ``servers``, host -> id), and its link (or its title) contains every fixed piece of one of their patterns (on an
   * added server, of their patterns for any host too). Other pages of a meeting host are not reported. */
  function meetingProviders(url, title, servers) {
    const hostProviders = providersForUrl(url);
    const added = hostProviders.length === 0 ? serverProviders(url, servers) : [];
    if (hostProviders.length === 0 && added.length === 0) {
      return [];
    }
    const link = cap(url, LIMITS.url).toLowerCase();
    const shown = normalise(title || "");
    return hostProviders.concat(added).filter((provider) => {
      const rule = MEETINGS.get(provider);
      return rule !== undefined && (rule.url.some((pieces) => containsAll(pieces, link))
        || rule.title.some((pieces) => containsAll(pieces, shown))
        || (added.length > 0 && (rule.anyHostUrl || []).some((pieces) => containsAll(pieces, link))));
    });
  }

  root.MPG = Object.freeze({ cut, cap, plain, normalise, redactUrl, setLinkKey, providersForUrl, meetingProviders,
    serverHost, cleanServers, serverProviders });
})(globalThis);
