// Meeting Privacy Guard: the D-Bus object that lists window titles and pids, and whom it answers.
//
// Kept apart from extension.js (GNOME Shell's glue) so it imports nothing of the Shell: the
// Guard's tests run it under plain gjs on a private bus, with a list of windows of their own.
//
// Two methods: List() -> a(tus), each window's id, owning pid (0 when unknown) and title; and
// Focused() -> t, the id of the window with the focus (0: none). They answer only a caller that holds, or is queued for, the Guard's reader name on the session
// bus; anyone else gets org.freedesktop.DBus.Error.AccessDenied. Titles are cut to 4096
// characters (their start and end) and at most 500 windows are listed.
import Gio from 'gi://Gio';
import GLib from 'gi://GLib';

export const OBJECT_PATH = '/io/github/meetingprivacyguard/WindowTitles';
export const READER_NAME = 'io.github.meetingprivacyguard.MeetingPrivacyGuard.WindowReader';
const MAX_WINDOWS = 500;
const HALF_TITLE = 2048;

const INTERFACE_XML = `
<node>
  <interface name="io.github.meetingprivacyguard.WindowTitles1">
    <method name="List">
      <arg type="a(tus)" direction="out" name="windows"/>
    </method>
    <method name="Focused">
      <arg type="t" direction="out" name="window"/>
    </method>
  </interface>
</node>`;

function cut(title) {
    return title.length > 2 * HALF_TITLE
        ? `${title.slice(0, HALF_TITLE)} … ${title.slice(-HALF_TITLE)}`
        : title;
}

export class WindowTitles {
    // listWindows() returns [{id, pid, title}] for the windows to report; focusedWindow() the id of the
    // window with the focus (0: none).
    constructor(listWindows, focusedWindow = () => 0) {
        this._listWindows = listWindows;
        this._focusedWindow = focusedWindow;
        this._exported = null;
    }

    export(connection) {
        this._connection = connection;
        this._exported = Gio.DBusExportedObject.wrapJSObject(INTERFACE_XML, this);
        this._exported.export(connection, OBJECT_PATH);
    }

    unexport() {
        this._exported?.unexport();
        this._exported = null;
        this._connection = null;
    }

    ListAsync(_params, invocation) {
        this._answer(invocation, () => new GLib.Variant('(a(tus))', [this._rows()]));
    }

    FocusedAsync(_params, invocation) {
        this._answer(invocation, () => new GLib.Variant('(t)', [Math.max(0, Number(this._focusedWindow()) || 0)]));
    }

    _answer(invocation, reply) {
        const sender = invocation.get_sender();
        this._connection.call(
            'org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'ListQueuedOwners',
            new GLib.Variant('(s)', [READER_NAME]), new GLib.VariantType('(as)'),
            Gio.DBusCallFlags.NONE, 1000, null,
            (connection, result) => {
                let owners = [];
                try {
                    [owners] = connection.call_finish(result).deepUnpack();
                } catch (_error) {
                    owners = [];  // nobody holds the name: nobody may read
                }
                if (!owners.includes(sender)) {
                    invocation.return_dbus_error('org.freedesktop.DBus.Error.AccessDenied',
                        `Only the holder of ${READER_NAME} may list window titles`);
                    return;
                }
                invocation.return_value(reply());
            });
    }

    _rows() {
        const rows = [];
        for (const window of this._listWindows()) {
            if (rows.length >= MAX_WINDOWS)
                break;
            const title = String(window.title ?? '');
            if (title.length === 0)
                continue;
            rows.push([window.id, Math.max(0, window.pid | 0), cut(title)]);
        }
        return rows;
    }
}
