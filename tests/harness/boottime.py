"""Time boots: host wall clock from QEMU's start to a line on the serial console."""
import qemu

LINE_TIMEOUT = 120  # seconds a boot may take to print the line


def time_to_line(iso, firmware, pattern, runs, artifacts, vga='std'):
    """Boot `iso` `runs` times, one after another, and return the seconds from
    launching QEMU to the first serial line matching `pattern` in each boot.
    Raises qemu.Timeout when a boot does not print it."""
    seconds = []
    for n in range(1, runs + 1):
        name = f'boottime-{firmware}-{n}'
        with qemu.Machine(iso=iso, firmware=firmware, name=name, artifacts=artifacts,
                          vga=vga) as m:
            m.wait_for(pattern, timeout=LINE_TIMEOUT)
            seconds.append(m.seconds_since_start())
    return seconds
