/* version: the one place the version number is written. */
#ifndef VERSION_H
#define VERSION_H

#define NEWSWIRE_VERSION "0.1.0"

#endif
