"""Boot vidport under headless QEMU and talk to it over serial and QMP.

Typical use:

    with Machine(image=iso, firmware='bios', name='bios-selftest', artifacts=out) as m:
        m.wait_for(r'^ok \\d+ boot$', timeout=30)
        m.screendump(os.path.join(out, 'bios-selftest.png'))
        assert m.wait_exit(timeout=60) == EXIT_PASS

Serial output before the kernel's sentinel line belongs to the firmware and
GRUB (under OVMF it is full of escape sequences), so serial_text() and
wait_for() only look at what the kernel printed after it; firmware_text()
and wait_for_firmware() read what came before, escape sequences removed.

Firmware: 'bios' (SeaBIOS) and 'uefi' (OVMF) boot an ISO through GRUB;
'efi' has OVMF start vidport's own UEFI loader from a FAT disk image.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'tools'))
import qemu_machine  # noqa: E402

SENTINEL = '@@VIDPORT@@'
# What a Machine accepts, as the other harness modules name them.
FIRMWARES = qemu_machine.FIRMWARES
VGA_MODELS = qemu_machine.VGA_MODELS

# isa-debug-exit makes QEMU exit with (value << 1) | 1; the kernel writes 0x10 or 0x11.
EXIT_PASS = 33
EXIT_FAIL = 35

_CONNECT_TIMEOUT = 10.0
# The guest waits for the serial connection, so each poll's delay adds to the boot.
_CONNECT_POLL = 0.002
_QMP_REPLY_TIMEOUT = 30.0
_TAIL_LINES = 20
# Unix socket paths are limited to 108 bytes including the terminator.
_MAX_SOCKET_PATH = 100

_SENTINEL_LINE = re.compile(r'(?:\A|\n)' + re.escape(SENTINEL) + r'\r?\n')
_ANSI_ESCAPE = re.compile(r'\x1b(?:\[[0-9;?=>]*[A-Za-z]|[()][A-Za-z0-9]|[A-Za-z=>])')


class Timeout(Exception):
    """QEMU did not produce what was awaited (or exit) in time, or exited first."""


class QemuError(Exception):
    """QEMU failed to start, or a QMP command failed."""


class Machine:
    """One QEMU run of an ISO; use as a context manager.

    Files written under `artifacts`: <name>.serial.log (raw COM1 bytes),
    <name>.debugcon.log (port 0xE9) and <name>.qemu.log (QEMU's stdout/stderr).
    """

    colours = 'qemu'  # how its screen widens 8 and 16 bpp colours (gradient.py)

    def __init__(self, image, firmware='bios', name='vm', artifacts='.', extra_args=(), vga='std',
                 smp=1):
        qemu_machine.check(firmware, vga, smp)
        self.image = os.path.abspath(image)
        self.firmware = firmware
        self.vga = vga
        self.smp = smp  # its CPUs (QEMU's -smp)
        self.name = name
        self.artifacts = os.path.abspath(artifacts)
        self.extra_args = list(extra_args)
        self._sockdir = _short_tempdir()
        self._serial_path = os.path.join(self._sockdir, 'serial.sock')
        self._qmp_path = os.path.join(self._sockdir, 'qmp.sock')
        self._proc = None
        self._start_time = None
        self._serial = None
        self._reader = None
        self._qmp = None
        self._qmp_file = None
        self._log_files = []
        # Everything below is shared with the reader thread and guarded by _cond.
        self._cond = threading.Condition()
        self._raw = ''              # all serial output, latin-1 decoded (one char per byte)
        self._scanned = 0           # how far _raw has been searched for the sentinel
        self._body_start = None     # index in _raw just after the sentinel line
        self._firmware_end = None   # index in _raw where the sentinel line begins
        self._sentinel_time = None
        self._eof = False

    def artifact(self, suffix):
        """Path of this run's artifact file with the given suffix, e.g. 'serial.log'."""
        return os.path.join(self.artifacts, f'{self.name}.{suffix}')

    def command(self):
        """The QEMU argv for this run, e.g. to print for a person reproducing it:
        the machine of tools/qemu_machine.py, headless, its serial port and QMP
        on unix sockets of ours."""
        return qemu_machine.command(self.firmware, self.image, self.vga,
                                    self.artifact('debugcon.log'), self.smp) + [
            '-display', 'none',
            '-qmp', f'unix:{self._qmp_path},server=on,wait=off',
            '-chardev', f'socket,id=ser0,path={self._serial_path},server=on,wait=on',
            '-serial', 'chardev:ser0',
        ] + self.extra_args

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        """Launch QEMU, connect to its serial port and start capturing output.

        QEMU waits for the serial connection before running the guest, so the
        start time recorded here is (up to that wait) the time the VM starts.
        """
        os.makedirs(self.artifacts, exist_ok=True)
        qemu_log = open(self.artifact('qemu.log'), 'wb')
        serial_log = open(self.artifact('serial.log'), 'wb')
        self._log_files = [qemu_log, serial_log]
        self._proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                      stdout=qemu_log, stderr=subprocess.STDOUT)
        self._start_time = time.monotonic()
        self._serial = self._connect(self._serial_path, 'serial')
        self._reader = threading.Thread(target=self._read_serial, args=(serial_log,),
                                        name=f'{self.name}-serial', daemon=True)
        self._reader.start()

    def close(self):
        """Kill QEMU if it is still running and release every resource. Idempotent."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)
        for sock in (self._qmp_file, self._qmp, self._serial):
            if sock is not None:
                sock.close()
        self._qmp_file = self._qmp = self._serial = None
        for f in self._log_files:
            f.close()
        shutil.rmtree(self._sockdir, ignore_errors=True)

    def _connect(self, path, what):
        """Connect to one of QEMU's unix sockets, retrying while QEMU creates it."""
        deadline = time.monotonic() + _CONNECT_TIMEOUT
        while True:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.connect(path)
                return sock
            except (FileNotFoundError, ConnectionRefusedError):
                sock.close()
            if self._proc.poll() is not None:
                raise QemuError(f'QEMU exited with status {self._proc.returncode} before its '
                                f'{what} socket accepted a connection; see {self.artifact("qemu.log")}')
            if time.monotonic() > deadline:
                raise QemuError(f'could not connect to the QEMU {what} socket within '
                                f'{_CONNECT_TIMEOUT:.0f} s')
            time.sleep(_CONNECT_POLL)

    def _read_serial(self, log):
        """Reader thread: copy serial bytes to the log and the buffer until EOF."""
        while True:
            try:
                data = self._serial.recv(65536)
            except OSError:
                data = b''
            if not data:
                break
            log.write(data)
            log.flush()  # keep the log current for anyone tailing it during a hang
            with self._cond:
                self._raw += data.decode('latin-1')
                self._find_sentinel()
                self._cond.notify_all()
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def _find_sentinel(self):
        """Look for the sentinel line in text not yet scanned. Caller holds _cond."""
        if self._body_start is not None:
            return
        match = _SENTINEL_LINE.search(self._raw, self._scanned)
        if match:
            self._body_start = match.end()
            self._firmware_end = match.start()
            self._sentinel_time = time.monotonic()
        else:
            # Back up far enough that a sentinel split across reads is still found.
            self._scanned = max(0, len(self._raw) - len(SENTINEL) - 3)

    def _body(self):
        """Serial text after the sentinel line, without '\\r'. Caller holds _cond."""
        if self._body_start is None:
            return ''
        return self._raw[self._body_start:].replace('\r', '')

    def serial_text(self):
        """What the kernel printed on COM1 after the sentinel line ('' before it), '\\r' removed."""
        with self._cond:
            return self._body()

    def debugcon_text(self):
        """Everything written to port 0xE9 so far, '\\r' removed like serial_text()."""
        try:
            with open(self.artifact('debugcon.log'), 'rb') as f:
                return f.read().decode('latin-1').replace('\r', '')
        except FileNotFoundError:
            return ''

    def exited(self):
        """Whether QEMU has exited (for a caller that waits in steps)."""
        return self._proc is not None and self._proc.poll() is not None

    def elapsed(self):
        """Seconds since QEMU was launched."""
        return time.monotonic() - self._start_time

    def boot_seconds(self):
        """Seconds from launching QEMU to the sentinel, or None if it never appeared."""
        with self._cond:
            if self._sentinel_time is None:
                return None
            return self._sentinel_time - self._start_time

    def _firmware_part(self):
        """Serial text before the sentinel (all of it if none came), escape
        sequences and '\r' removed. Caller holds _cond."""
        end = len(self._raw) if self._firmware_end is None else self._firmware_end
        return _ANSI_ESCAPE.sub('', self._raw[:end]).replace('\r', '')

    def firmware_text(self):
        """What the firmware and boot loader printed on COM1 before the kernel's sentinel."""
        with self._cond:
            return self._firmware_part()

    def wait_for(self, pattern, timeout=30):
        """Wait until `pattern` (a multiline regex) matches the serial text; return the match.

        The search always covers all text since the sentinel. Raises Timeout if
        `timeout` seconds pass or QEMU closes the serial port (exits) first.
        """
        return self._wait(pattern, timeout, self._body)

    def wait_for_firmware(self, pattern, timeout=30):
        """wait_for() over firmware_text(): what came before the kernel."""
        return self._wait(pattern, timeout, self._firmware_part)

    def _wait(self, pattern, timeout, text):
        regex = re.compile(pattern, re.MULTILINE)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                match = regex.search(text())
                if match:
                    return match
                remaining = deadline - time.monotonic()
                if self._eof or remaining <= 0:
                    why = 'QEMU exited' if self._eof else f'{timeout} s passed'
                    raise Timeout(f'{why} while waiting for /{pattern}/ on serial\n'
                                  + self._tail())
                self._cond.wait(remaining)

    def _tail(self):
        """The last lines of serial output, for error messages. Caller holds _cond."""
        if self._body_start is not None:
            heading, text = 'last serial lines after the sentinel', self._body()
        else:
            heading = f'sentinel {SENTINEL} not seen; last raw serial lines'
            text = self._firmware_part()
        lines = [line for line in text.split('\n') if line.strip()][-_TAIL_LINES:]
        return f'--- {heading} ({self.artifact("serial.log")}) ---\n' + '\n'.join(lines)

    def send_serial(self, data):
        """Send bytes to the guest's COM1."""
        self._serial.sendall(data)

    def screendump(self, path, fmt='png'):
        """Save the current screen via QMP as 'png' or 'ppm' (raw RGB, far quicker
        to read back: see ppm.py) and return its absolute path."""
        path = os.path.abspath(path)  # QEMU resolves relative names against its own cwd
        self._qmp_command('screendump', {'filename': path, 'format': fmt})
        return path

    def type_keys(self, text):
        """Type text on the guest's PS/2 keyboard (lower case, digits, space, Enter as \\n)."""
        names = {' ': 'spc', '\n': 'ret', '-': 'minus', '.': 'dot'}
        for ch in text:
            key = {'type': 'qcode', 'data': names.get(ch, ch)}
            self._qmp_command('send-key', {'keys': [key]})

    def _qmp_command(self, execute, arguments=None):
        """Run one QMP command, connecting first if needed; return its 'return' value."""
        if self._qmp is None:
            self._qmp_connect()
        return self._qmp_exchange(execute, arguments)

    def _qmp_connect(self):
        """Open the QMP socket, read the greeting and leave capabilities negotiation mode."""
        self._qmp = self._connect(self._qmp_path, 'QMP')
        self._qmp.settimeout(_QMP_REPLY_TIMEOUT)  # a wedged QEMU must not hang the harness
        self._qmp_file = self._qmp.makefile('rb')
        greeting = self._qmp_read('greeting')
        if 'QMP' not in greeting:
            raise QemuError(f'unexpected QMP greeting: {greeting!r}')
        self._qmp_exchange('qmp_capabilities')

    def _qmp_exchange(self, execute, arguments=None):
        """Send one command and wait for its reply; QemuError if QEMU answers with 'error'."""
        request = {'execute': execute}
        if arguments is not None:
            request['arguments'] = arguments
        self._qmp.sendall(json.dumps(request).encode() + b'\n')
        while True:
            reply = self._qmp_read(execute)
            if 'error' in reply:
                error = reply['error']
                raise QemuError(f'QMP {execute} failed: {error.get("class")}: {error.get("desc")}')
            if 'return' in reply:
                return reply['return']
            # Anything else is an asynchronous event (e.g. RESET), not our reply.

    def _qmp_read(self, awaited):
        """Read one QMP message (a JSON line); `awaited` names it for error messages."""
        try:
            line = self._qmp_file.readline()
        except TimeoutError:
            raise Timeout(f'no QMP reply to {awaited} within {_QMP_REPLY_TIMEOUT:.0f} s') from None
        if not line:
            raise QemuError(f'QMP connection closed while waiting for the reply to {awaited}')
        return json.loads(line)

    def wait_exit(self, timeout=60):
        """Wait for QEMU to exit and return its exit status; serial_text() then
        holds everything the guest wrote.

        On timeout QEMU is killed and Timeout is raised.
        """
        try:
            status = self._proc.wait(timeout)
            if self._reader is not None:  # drains the socket to EOF, which QEMU's exit sends
                self._reader.join(timeout=5)
            return status
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            with self._cond:
                tail = self._tail()
            raise Timeout(f'QEMU did not exit within {timeout} s (killed)\n' + tail) from None


def _short_tempdir():
    """A private temp dir whose socket paths fit the unix socket length limit."""
    path = tempfile.mkdtemp(prefix='vidport-')
    if len(path) + len('/serial.sock') < _MAX_SOCKET_PATH:
        return path
    # $TMPDIR is too deep for a socket path; /tmp always exists on the hosts we run on.
    os.rmdir(path)
    return tempfile.mkdtemp(prefix='vidport-', dir='/tmp')
