// See include/TLSHook.h for why this exists. No decisions here: configure, then record.
#include "TLSHook.h"
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* A whole handshake with a long chain stays far below this; after the handshake only record
   headers are checked, not logged. */
#define OTAP_LOG_CAP (4u * 1024u * 1024u)

static void otap_log(otap_tls_hook *hook, int kind, int outgoing, const void *bytes, size_t length) {
    size_t need = hook->log_length + 6 + length;
    if (need > OTAP_LOG_CAP) { hook->log_overflowed = 1; return; }
    if (need > hook->log_capacity) {
        size_t capacity = hook->log_capacity ? hook->log_capacity : 16384;
        while (capacity < need) capacity *= 2;
        unsigned char *grown = realloc(hook->log, capacity);
        if (!grown) { hook->log_overflowed = 1; return; }
        hook->log = grown;
        hook->log_capacity = capacity;
    }
    unsigned char *at = hook->log + hook->log_length;
    at[0] = (unsigned char)kind;
    at[1] = (unsigned char)(outgoing ? 1 : 0);
    at[2] = (unsigned char)(length & 0xff);
    at[3] = (unsigned char)((length >> 8) & 0xff);
    at[4] = (unsigned char)((length >> 16) & 0xff);
    at[5] = (unsigned char)((length >> 24) & 0xff);
    if (length) memcpy(at + 6, bytes, length);
    hook->log_length = need;
}

static void otap_msg_callback(int write_p, int version, int content_type, const void *buf, size_t len,
                              SSL *ssl, void *arg) {
    (void)version; (void)ssl;
    otap_tls_hook *hook = arg;
    if (!hook) return;
    if (content_type == SSL3_RT_HEADER) {
        if (hook->handshake_done && !write_p) {
            /* Application data: only the size matters (does it fit the device's buffer?). */
            const unsigned char *header = buf;
            if (len >= 5 && header[0] == SSL3_RT_APPLICATION_DATA && hook->record_limit > 0) {
                int length = (header[3] << 8) | header[4];
                if (length > hook->record_limit && hook->oversized_record == 0) hook->oversized_record = length;
            }
            return;
        }
        otap_log(hook, OTAP_LOG_RECORD, write_p, buf, len);
    } else if (content_type == SSL3_RT_HANDSHAKE) {
        otap_log(hook, OTAP_LOG_HANDSHAKE, write_p, buf, len);
    } else if (content_type == SSL3_RT_ALERT) {
        otap_log(hook, OTAP_LOG_ALERT, write_p, buf, len);
    } else if (content_type == SSL3_RT_CHANGE_CIPHER_SPEC) {
        otap_log(hook, OTAP_LOG_CCS, write_p, buf, len);
    }
}

static void otap_info_callback(const SSL *ssl, int where, int ret) {
    (void)ret;
    otap_tls_hook *hook = SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl));
    if (!hook) return;
    if (where & SSL_CB_HANDSHAKE_START) {
        /* The ClientHello is built after this point: the device sends its host string as
           given, an IP literal included, where OpenSSL/libcurl would send none. */
        if (hook->server_name && hook->server_name[0])
            SSL_set_tlsext_host_name((SSL *)ssl, hook->server_name);
    }
    if (where & SSL_CB_HANDSHAKE_DONE) hook->handshake_done = 1;
}

static void otap_fail(otap_tls_hook *hook, const char *what) {
    hook->configure_error = 1;
    unsigned long code = ERR_peek_last_error();
    char reason[120] = "";
    if (code) ERR_error_string_n(code, reason, sizeof reason);
    snprintf(hook->configure_detail, sizeof hook->configure_detail, "%s: %s", what, reason);
}

static CURLcode otap_ctx_callback(CURL *curl, void *ssl_ctx, void *userptr) {
    (void)curl;
    SSL_CTX *ctx = ssl_ctx;
    otap_tls_hook *hook = userptr;
    if (!hook) return CURLE_OK;
    SSL_CTX_set_app_data(ctx, hook);
    /* Offer nothing the device does not: no tickets, no encrypt-then-MAC, no extended master
       secret (BearSSL sends none of these, and a server echoing one changes the handshake). */
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_ENCRYPT_THEN_MAC | SSL_OP_NO_EXTENDED_MASTER_SECRET
                             | SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (hook->min_version && !SSL_CTX_set_min_proto_version(ctx, hook->min_version)) otap_fail(hook, "min version");
    if (hook->max_version && !SSL_CTX_set_max_proto_version(ctx, hook->max_version)) otap_fail(hook, "max version");
    if (hook->cipher_list && !SSL_CTX_set_cipher_list(ctx, hook->cipher_list)) otap_fail(hook, "cipher list");
    if (hook->groups && !SSL_CTX_set1_groups_list(ctx, hook->groups)) otap_fail(hook, "groups");
    if (hook->sigalgs && !SSL_CTX_set1_sigalgs_list(ctx, hook->sigalgs)) otap_fail(hook, "signature algorithms");
    if (hook->max_fragment_code > 0 && !SSL_CTX_set_tlsext_max_fragment_length(ctx, (uint8_t)hook->max_fragment_code))
        otap_fail(hook, "max fragment length");
    SSL_CTX_set_msg_callback(ctx, otap_msg_callback);
    SSL_CTX_set_msg_callback_arg(ctx, hook);
    SSL_CTX_set_info_callback(ctx, otap_info_callback);
    return hook->configure_error ? CURLE_SSL_CIPHER : CURLE_OK;
}

CURLcode otap_tls_hook_install(CURL *handle, otap_tls_hook *hook) {
    CURLcode rc = curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, otap_ctx_callback);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(handle, CURLOPT_SSL_CTX_DATA, hook);
}

void otap_tls_hook_release(otap_tls_hook *hook) {
    free(hook->log);
    hook->log = NULL;
    hook->log_length = hook->log_capacity = 0;
}
