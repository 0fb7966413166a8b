#ifndef OTAPROBE_COPENSSL_SHIM_H
#define OTAPROBE_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#endif
