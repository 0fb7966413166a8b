#ifndef OTAPROBE_TLSHOOK_H
#define OTAPROBE_TLSHOOK_H

/*
 * Restricts libcurl's OpenSSL handshake to what the emulated device offers, and records what the
 * server answered.
 *
 * Why C: libcurl hands the SSL_CTX to a C callback (CURLOPT_SSL_CTX_FUNCTION) before the
 * ClientHello is built, and OpenSSL reports each handshake message and record header through a C
 * callback (SSL_CTX_set_msg_callback). Both callbacks only copy bytes into `otap_tls_hook`; every
 * decision about those bytes (would the device accept this ServerHello, this chain, this record?)
 * is made in Swift, in OTAProbeCore.
 */

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

/* Entry kinds in the transcript log. */
enum {
    OTAP_LOG_HANDSHAKE = 22,   /* one whole handshake message (type, 3-byte length, body) */
    OTAP_LOG_ALERT = 21,       /* level, description */
    OTAP_LOG_CCS = 20,         /* ChangeCipherSpec */
    OTAP_LOG_RECORD = 0x80     /* a record header: type, version (2), length (2) */
};

typedef struct otap_tls_hook {
    /* --- configuration (set by Swift before the handshake; strings owned by Swift) --- */
    int min_version;            /* TLS1_VERSION ... TLS1_3_VERSION, 0 = OpenSSL default */
    int max_version;
    const char *cipher_list;    /* OpenSSL names, in the device's order (TLS <= 1.2) */
    const char *groups;         /* "X25519:P-256:..." or NULL */
    const char *sigalgs;        /* "ECDSA+SHA256:RSA+SHA256:..." or NULL */
    int max_fragment_code;      /* RFC 6066 code 1..4 (512..4096), 0 = no extension */
    const char *server_name;    /* SNI to send exactly (also an IP literal), NULL = libcurl's */
    int record_limit;           /* > 0: flag encrypted incoming records longer than this */

    /* --- results (written by the callbacks) --- */
    unsigned char *log;         /* entries: kind(1) direction(1: 0 in, 1 out) length(4, LE) bytes */
    size_t log_length;
    size_t log_capacity;
    int log_overflowed;         /* the log stopped growing at its cap */
    int handshake_done;         /* SSL_CB_HANDSHAKE_DONE seen */
    int oversized_record;       /* length of the first too-long encrypted record after the handshake */
    int configure_error;        /* an SSL_CTX setter refused the configuration */
    char configure_detail[160];
} otap_tls_hook;

/* Installs the hook on a curl easy handle (CURLOPT_SSL_CTX_FUNCTION/DATA). */
CURLcode otap_tls_hook_install(CURL *handle, otap_tls_hook *hook);

/* Frees the log. The hook itself is owned by the caller. */
void otap_tls_hook_release(otap_tls_hook *hook);

#endif
