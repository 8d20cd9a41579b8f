"""Detection: which meeting clients run, and which meetings are in progress, with evidence.

Probes (processes, window titles, microphone, camera, sockets) turn what the OS shows into
:class:`Observation` values; :mod:`guard.detect.sessions` (a pure state machine) turns those
into events. :mod:`guard.detect.platform` is the one place that picks the backends per OS.
"""

from guard.detect.observation import DetectError, Observation, ProbeState, ProbeStatus, ProbeUnavailable

__all__ = ["DetectError", "Observation", "ProbeState", "ProbeStatus", "ProbeUnavailable"]
