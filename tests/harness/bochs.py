"""Boot vidport under headless Bochs 2.7 and talk to it over serial.

Bochs is the second emulator the tests run on: its own BIOS and LGPL
VGABIOS, its DISPI/VBE adapter (PCI 1234:1111) or its Cirrus GD5446. A
`Bochs` is used as a qemu.Machine is (wait_for, serial_text, send_serial,
screendump, wait_exit), with these differences:

* COM1 connects to a TCP listener of ours on 127.0.0.1 (Bochs's
  socket-client mode), port 0xE9 goes to Bochs's stdout, kept as
  <name>.debugcon.log (with the lines of Bochs's built-in debugger
  around it, which the KTAP parser skips).
* Bochs has no isa-debug-exit: the kernel prints "vidport: stopping,
  passed" (or failed) and writes to Bochs's shutdown port, which ends
  Bochs with status 1 either way. wait_exit() returns the QEMU status the
  line stands for, so a boot's checks read the same under both.
* Screenshots come from SDL2's dummy driver, which saves every window
  update as a BMP in Bochs's working directory: the guest screen between
  Bochs's header bar and status bar. Only the newest few are kept.
* Colours at 8 and 16 bpp are widened by zero-filling (gradient.py's
  'bochs' model), not by repeating bits as QEMU does.

Run it by hand (what `make run-bochs` does): python3 tests/harness/bochs.py ISO [--vga cirrus]
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bmp  # noqa: E402
import png  # noqa: E402
import qemu  # noqa: E402

VGA_MODELS = ('std', 'cirrus')
# Bochs's own adapters as QEMU's -vga names them: the DISPI/VBE adapter on
# PCI with the LGPL VGABIOS, or the PCI GD5446 with that BIOS's Cirrus build.
_ADAPTERS = {
    'std': ('/usr/share/vgabios/vgabios.bin', 'vbe', 'pcivga'),
    'cirrus': ('/usr/share/vgabios/vgabios-cirrus.bin', 'cirrus', 'cirrus'),
}
# Bochs's TSC counts instructions: at its default 4 M a second the kernel's
# timer-rate check fails. sync=none skips the time a halted guest waits.
_CONFIG = '''megs: 128
romimage: file=/usr/share/bochs/BIOS-bochs-latest, options=fastboot
vgaromimage: file={vgabios}
vga: extension={extension}, update_freq={update_freq}, realtime=0
pci: enabled=1, chipset=i440fx, slot1={slot}
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=cdrom, path="{iso}", status=inserted
boot: cdrom
floppy_bootsig_check: disabled=1
com1: enabled=1, mode={serial_mode}, dev={serial}
port_e9_hack: enabled=1
display_library: sdl2
mouse: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
clock: sync={sync}, time0=local
cpu: model=core2_penryn_t9600, ips=50000000, reset_on_triple_fault=0
log: {log}
panic: action=fatal
error: action=report
info: action=report
debug: action=ignore
debugger_log: -
'''
STOPPING = re.compile(r'^vidport: stopping, (passed|failed)$', re.MULTILINE)
_HEADER_ROWS = 32     # Bochs's tool bar above the guest screen
_STATUS_ROWS = 18     # its status bar below
_FRAMES_KEPT = 8
_FRAME = re.compile(r'^SDL_window1-(\d+)\.bmp$')
_FRAME_WAIT = 30.0    # seconds for the frames after a screendump request
_ACCEPT_TIMEOUT = 20.0


def config(iso, vga, serial, log, serial_mode='socket-client', sync='none', update_freq=5):
    """The bochsrc text for one run (paths absolute)."""
    if vga not in VGA_MODELS:
        raise ValueError(f"vga must be one of {', '.join(VGA_MODELS)}, not {vga!r}")
    vgabios, extension, slot = _ADAPTERS[vga]
    return _CONFIG.format(vgabios=vgabios, extension=extension, slot=slot, iso=iso,
                          serial_mode=serial_mode, serial=serial, log=log, sync=sync,
                          update_freq=update_freq)


class Bochs(qemu.Machine):
    """One headless Bochs run of an ISO; use as a context manager.

    frames: have SDL save the screen (needed for screendump(); costs disk
    bandwidth, so boots that take no screenshots leave it off).
    """

    def __init__(self, image, name='vm', artifacts='.', vga='std', frames=False):
        super().__init__(image, firmware='bios', name=name, artifacts=artifacts, vga=vga)
        self.frames = frames
        self.colours = 'bochs'
        self._pruner = None
        self._stop = threading.Event()

    def command(self):
        return ['bochs', '-q', '-f', os.path.join(self._sockdir, 'bochsrc'),
                '-rc', os.path.join(self._sockdir, 'continue.rc')]

    def start(self):
        """Start Bochs and accept its serial connection."""
        os.makedirs(self.artifacts, exist_ok=True)
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        self._write_config(f'localhost:{port}')
        serial_log = open(self.artifact('serial.log'), 'wb')
        e9 = open(self.artifact('debugcon.log'), 'wb')
        stderr = open(self.artifact('bochs.stderr'), 'wb')
        self._log_files = [serial_log, e9, stderr]
        env = dict(os.environ, SDL_VIDEODRIVER='dummy')
        if self.frames:
            env['SDL_VIDEO_DUMMY_SAVE_FRAMES'] = '1'
        self._proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=e9,
                                      stderr=stderr, cwd=self._sockdir, env=env)
        self._start_time = time.monotonic()
        try:
            self._serial = self._accept(listener)
        finally:
            listener.close()
        self._reader = threading.Thread(target=self._read_serial, args=(serial_log,),
                                        name=f'{self.name}-serial', daemon=True)
        self._reader.start()
        if self.frames:
            self._pruner = threading.Thread(target=self._prune_frames, daemon=True)
            self._pruner.start()

    def _write_config(self, serial):
        with open(os.path.join(self._sockdir, 'bochsrc'), 'w') as f:
            f.write(config(self.image, self.vga, serial, self.artifact('bochs.log')))
        with open(os.path.join(self._sockdir, 'continue.rc'), 'w') as f:
            f.write('c\n')  # the built-in debugger stops before the first instruction

    def _accept(self, listener):
        listener.settimeout(0.1)
        deadline = time.monotonic() + _ACCEPT_TIMEOUT
        while True:
            try:
                sock, _ = listener.accept()
                sock.settimeout(None)
                return sock
            except socket.timeout:
                pass
            if self._proc.poll() is not None:
                raise qemu.QemuError(f'Bochs exited with status {self._proc.returncode} before '
                                     f'connecting its serial port; see {self.artifact("bochs.log")}')
            if time.monotonic() > deadline:
                raise qemu.QemuError(f'Bochs did not connect its serial port within '
                                     f'{_ACCEPT_TIMEOUT:.0f} s')

    def close(self):
        self._stop.set()
        if self._pruner is not None:
            self._pruner.join(timeout=5)
        super().close()

    def _frame_numbers(self):
        numbers = []
        for entry in os.listdir(self._sockdir):
            match = _FRAME.match(entry)
            if match:
                numbers.append(int(match.group(1)))
        return sorted(numbers)

    def _frame_path(self, number):
        return os.path.join(self._sockdir, f'SDL_window1-{number:08d}.bmp')

    def _prune_frames(self):
        """Pruner thread: keep only the newest frames (SDL writes dozens a second)."""
        while not self._stop.wait(0.2):
            for number in self._frame_numbers()[:-_FRAMES_KEPT]:
                try:
                    os.remove(self._frame_path(number))
                except FileNotFoundError:
                    pass

    def screendump(self, path, fmt='png'):
        """Save the guest screen as it is now as a PNG: the second-newest of
        three frames saved after this call (the newest may be half-written)."""
        if not self.frames:
            raise qemu.QemuError('screendump needs a Bochs started with frames=True')
        numbers = self._frame_numbers()
        first = (numbers[-1] if numbers else -1) + 1
        deadline = time.monotonic() + _FRAME_WAIT
        while len([n for n in self._frame_numbers() if n >= first]) < 3:
            if time.monotonic() > deadline or self.exited():
                raise qemu.Timeout(f'Bochs saved no 3 frames within {_FRAME_WAIT:.0f} s')
            time.sleep(0.05)
        if fmt != 'png':
            raise ValueError(f'Bochs screenshots are PNG, not {fmt}')
        frame = bmp.read_bmp(self._frame_path(self._frame_numbers()[-2]))
        screen = bmp.crop_rows(frame, _HEADER_ROWS, _STATUS_ROWS)
        path = os.path.abspath(path)
        png.write_png(path, screen.width, screen.height, screen.pixels)
        return path

    def type_keys(self, text):
        raise qemu.QemuError('typing on the keyboard is not supported under Bochs')

    def wait_exit(self, timeout=60):
        """Wait for Bochs to end and return the QEMU status the kernel's
        "stopping" line stands for (EXIT_PASS, EXIT_FAIL), or the text
        'bochs status N, no stopping line' when it ended otherwise."""
        try:
            status = self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
            with self._cond:
                tail = self._tail()
            raise qemu.Timeout(f'Bochs did not exit within {timeout} s (killed)\n' + tail) from None
        if self._reader is not None:
            self._reader.join(timeout=5)
        return exit_status(self.serial_text(), status)


def exit_status(serial, status):
    """What a Bochs run that printed `serial` and ended with `status` stands
    for: QEMU's EXIT_PASS or EXIT_FAIL by the kernel's stopping line, which
    must be the last line (a program could print one too), or a text
    saying there was none."""
    lines = [line for line in serial.split('\n') if line.strip()]
    line = STOPPING.match(lines[-1]) if lines else None
    if line is None:
        return f'bochs status {status}, no stopping line'
    return qemu.EXIT_PASS if line.group(1) == 'passed' else qemu.EXIT_FAIL


def run_interactive(iso, vga):
    """Boot the ISO in Bochs with COM1 on this terminal (make run-bochs); a
    window where there is a display, else headless."""
    workdir = os.path.join(os.path.dirname(os.path.abspath(iso)), 'bochs')
    os.makedirs(workdir, exist_ok=True)
    rc = os.path.join(workdir, 'bochsrc')
    with open(rc, 'w') as f:
        f.write(config(os.path.abspath(iso), vga, '/dev/tty', os.path.join(workdir, 'bochs.log'),
                       serial_mode='term', sync='realtime'))
    with open(os.path.join(workdir, 'continue.rc'), 'w') as f:
        f.write('c\n')
    env = dict(os.environ)
    if not (env.get('DISPLAY') or env.get('WAYLAND_DISPLAY')):
        env['SDL_VIDEODRIVER'] = 'dummy'
    print(f'bochs: {vga} adapter; serial console here, log in {workdir}/bochs.log', flush=True)
    return subprocess.call(['bochs', '-q', '-f', rc, '-rc', os.path.join(workdir, 'continue.rc')],
                           env=env, cwd=workdir)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description='Boot a vidport ISO in Bochs.')
    parser.add_argument('iso')
    parser.add_argument('--vga', choices=VGA_MODELS, default='std')
    args = parser.parse_args()
    sys.exit(run_interactive(args.iso, args.vga))
