"""Test support: a stand-in for the BIOS boots' QEMU (qemu-system-i386),
first on PATH for one test.

    def setUp(self):
        self.tmp = fakeqemu.install(self, BODY)

BODY is the rest of a Python program after a prelude that imports os,
socket, sys and time, sets `argv` to the arguments QEMU was given and
defines serial_connection().
"""
import os
import sys
import tempfile
from unittest import mock

from qemu import qemu_machine

PRELUDE = """\
#!{python}
import os, socket, sys, time
argv = sys.argv[1:]


def serial_connection():
    # Serve the -chardev socket as QEMU would; return the harness's connection.
    chardev = argv[argv.index('-chardev') + 1]
    options = dict(kv.split('=', 1) for kv in chardev.split(',') if '=' in kv)
    server = socket.socket(socket.AF_UNIX)
    server.bind(options['path'])
    server.listen(1)
    return server.accept()[0]


"""


def install(test, body):
    """Write PRELUDE + `body` as the BIOS boots' QEMU in a fresh directory put
    first on PATH until `test` ends; returns the directory (removed then too)."""
    tmp = tempfile.TemporaryDirectory()
    test.addCleanup(tmp.cleanup)
    fake = os.path.join(tmp.name, qemu_machine.EMULATORS['bios'][0])
    with open(fake, 'w') as f:
        f.write(PRELUDE.replace('{python}', sys.executable) + body)
    os.chmod(fake, 0o755)
    patcher = mock.patch.dict(os.environ, {'PATH': tmp.name + os.pathsep + os.environ['PATH']})
    patcher.start()
    test.addCleanup(patcher.stop)
    return tmp.name
