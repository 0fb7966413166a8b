#ifndef OTAPROBE_CURLSHIM_H
#define OTAPROBE_CURLSHIM_H

/*
 * Non-variadic wrappers for libcurl's variadic curl_easy_setopt / curl_easy_getinfo.
 *
 * Why this exists: Swift cannot call C variadic functions, and curl reads the third argument
 * with va_arg using the type the option expects (long, char *, void *, curl_off_t). Each
 * wrapper below fixes that type, so the Swift facade (CurlEasyHandle) picks the right one per
 * option. Everything else in libcurl's easy API (init, perform, send, recv, cleanup,
 * strerror, global_init) is non-variadic and is called from Swift directly.
 *
 * Kept deliberately tiny: no logic lives here.
 */

#include <curl/curl.h>

/* curl_easy_setopt for options documented as taking a `long`. */
CURLcode curlshim_setopt_long(CURL *handle, CURLoption option, long value);
/* curl_easy_setopt for options taking a `char *` (curl copies the string since 7.17.0). */
CURLcode curlshim_setopt_string(CURL *handle, CURLoption option, const char *value);
/* curl_easy_setopt for options taking a pointer (buffers, callback data, function pointers). */
CURLcode curlshim_setopt_pointer(CURL *handle, CURLoption option, void *value);
/* curl_easy_setopt for options taking a `curl_off_t`. */
CURLcode curlshim_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/* curl_easy_getinfo for CURLINFO_LONG items. */
CURLcode curlshim_getinfo_long(CURL *handle, CURLINFO info, long *out);
/* curl_easy_getinfo for CURLINFO_STRING items; the string is owned by the handle. */
CURLcode curlshim_getinfo_string(CURL *handle, CURLINFO info, const char **out);
/* curl_easy_getinfo for CURLINFO_DOUBLE items. */
CURLcode curlshim_getinfo_double(CURL *handle, CURLINFO info, double *out);
/* curl_easy_getinfo for CURLINFO_SOCKET items (e.g. CURLINFO_ACTIVESOCKET). */
CURLcode curlshim_getinfo_socket(CURL *handle, CURLINFO info, curl_socket_t *out);
/* curl_easy_getinfo for CURLINFO_PTR items (e.g. CURLINFO_TLS_SSL_PTR); owned by the handle. */
CURLcode curlshim_getinfo_pointer(CURL *handle, CURLINFO info, void **out);

#endif
