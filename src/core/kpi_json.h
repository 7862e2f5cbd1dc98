#ifndef TP_KPI_JSON_H
#define TP_KPI_JSON_H
/* The KPI object of the documented JSON (docs/KPI.md), which the CLI and the HTTP API
 * print: counts, then rates {"value","low","high","n"} (value null when n is 0).
 * hourly_cost_cents < 0 leaves the cost KPIs null. The caller owns the object. */
#include <jansson.h>

#include "core/kpi.h"

json_t *kpi_json(const struct kpi_counts *c, int64_t hourly_cost_cents);

#endif
