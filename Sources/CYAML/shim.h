#ifndef OTAPROBE_CYAML_SHIM_H
#define OTAPROBE_CYAML_SHIM_H
#include <yaml.h>
#endif
