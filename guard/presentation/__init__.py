"""What the settings window shows, worked out without Qt: values in, values out.

The widgets in ``ui/settings`` only lay these out; the logic (which providers match a search,
decisions per month, how a record reads, what changed lately) lives here and is tested with
plain values.
"""
