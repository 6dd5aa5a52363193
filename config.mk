# newswire build settings. Override on the command line: make PREFIX=/usr
VERSION = 0.1.0
PREFIX ?= /usr/local
DATADIR ?= $(PREFIX)/share/newswire
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
OPTFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wpointer-arith -Wno-format-truncation -Werror
STDFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all
