"""A local mail sink for the demo: an SMTP server on 127.0.0.1 that accepts every e-mail and
keeps it as a file (one ``.eml`` a message, readable with any mail program or a text editor),
so that the demo's reminders are really sent and their state in Odoo is real.

    python scripts/mail_sink.py DIRECTORY [PORT]

Every message received is also listed in DIRECTORY/index.txt (time, recipients, subject).
"""

import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = len(list(self.folder.glob("*.eml")))

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        self.count += 1
        message = message_from_bytes(envelope.content, policy=policy.default)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{self.count:05d}.eml"
        (self.folder / name).write_bytes(envelope.content)
        with (self.folder / "index.txt").open("a", encoding="utf-8") as index:
            index.write(
                f"{time.strftime('%Y-%m-%d %H:%M:%S')}  {name}  to {', '.join(envelope.rcpt_tos)}"
                f"  {message.get('Subject', '')}\n"
            )
        return "250 Message accepted for delivery"


def main():
    folder = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 2525
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"mail sink: 127.0.0.1:{port}, messages in {folder}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
