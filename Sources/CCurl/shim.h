#ifndef OTAPROBE_CCURL_SHIM_H
#define OTAPROBE_CCURL_SHIM_H
#include <curl/curl.h>
#endif
