/* Campaign settings: calling blocks and validation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/campaign.h"

static void test_blocks(void **state)
{
	struct campaign c;
	struct tp_error err;
	char buf[512];

	(void)state;
	campaign_init(&c);
	tp_error_clear(&err);
	assert_int_equal(campaign_add_blocks(&c, "14:00-16:00", &err), 0);
	assert_int_equal(c.nblocks, 5);
	assert_int_equal(c.blocks[0].weekday, 1);
	assert_int_equal(c.blocks[0].start_minute, 14 * 60);
	assert_int_equal(c.blocks[4].end_minute, 16 * 60);
	assert_int_equal(campaign_add_blocks(&c, "sat,sun 09:30-12:00", &err), 0);
	assert_int_equal(c.nblocks, 7);
	assert_int_equal(c.blocks[5].weekday, 0);
	assert_int_equal(c.blocks[6].weekday, 6);
	campaign_format_slots(c.blocks, c.nblocks, buf, sizeof(buf));
	assert_string_equal(buf, "mon-fri 14:00-16:00, sat-sun 09:30-12:00");
	assert_int_equal(campaign_add_blocks(&c, "16:00-14:00", &err), TP_EUSAGE);
	assert_true(strstr(err.reason, "ends before it starts") != NULL);
	assert_int_equal(campaign_add_blocks(&c, "14h-16h", &err), TP_EUSAGE);
	assert_int_equal(campaign_add_blocks(&c, "xyz 14:00-16:00", &err), TP_EUSAGE);
	assert_int_equal(campaign_add_blocks(&c, "25:00-26:00", &err), TP_EUSAGE);
	/* Days in French read the same; one a line as the campaign form shows them. */
	c.nblocks = 0;
	assert_int_equal(campaign_add_blocks(&c, "lun-ven 09:30-11:30", &err), 0);
	assert_int_equal(campaign_add_blocks(&c, "mer,sam 14:00-16:00", &err), 0);
	assert_int_equal(c.nblocks, 7);
	campaign_format_slots_sep(c.blocks, c.nblocks, "\n", buf, sizeof(buf));
	assert_string_equal(buf, "mon-fri 09:30-11:30\nwed,sat 14:00-16:00");
	campaign_release(&c);
}

static void test_validate(void **state)
{
	struct campaign c;
	struct tp_error err;

	(void)state;
	campaign_init(&c);
	tp_error_clear(&err);
	campaign_set_str(&c.name, "Salon");
	campaign_set_str(&c.kind, "event");
	campaign_set_str(&c.audience, "b2b");
	campaign_set_str(&c.timezone, "Europe/Paris");
	campaign_set_str(&c.region, "FR");
	assert_int_equal(campaign_validate(&c, &err), 0);
	campaign_set_str(&c.kind, "party");
	assert_int_equal(campaign_validate(&c, &err), TP_EUSAGE);
	assert_string_equal(err.field, "kind");
	campaign_set_str(&c.kind, "sales");
	campaign_set_str(&c.timezone, "Europe/Atlantis");
	assert_int_equal(campaign_validate(&c, &err), TP_EUSAGE);
	assert_string_equal(err.field, "timezone");
	campaign_set_str(&c.timezone, "../../etc/passwd");
	assert_int_equal(campaign_validate(&c, &err), TP_EUSAGE);
	campaign_set_str(&c.timezone, "UTC");
	campaign_set_str(&c.region, "fr");
	assert_int_equal(campaign_validate(&c, &err), TP_EUSAGE);
	assert_string_equal(err.field, "region");
	campaign_release(&c);
}

/* A qualification field's labels: written after its type, read back as written. */
static void test_field_labels(void **state)
{
	struct campaign c;
	struct tp_error err;
	char text[600];

	(void)state;
	tp_error_clear(&err);
	campaign_init(&c);
	assert_int_equal(campaign_set_field(&c, "date_projet=date;Date du projet|Project date", &err), 0);
	assert_string_equal(c.fields[0].key, "date_projet");
	assert_string_equal(c.fields[0].type, "date");
	assert_string_equal(c.fields[0].label_fr, "Date du projet");
	assert_string_equal(c.fields[0].label_en, "Project date");
	campaign_format_field(&c.fields[0], text, sizeof(text));
	assert_string_equal(text, "date_projet=date;Date du projet|Project date");
	/* Choices keep their bars; one label serves both languages. */
	assert_int_equal(campaign_set_field(&c, "equipe=choice:oui|non|en projet;Équipe", &err), 0);
	assert_string_equal(c.fields[1].choices, "oui|non|en projet");
	assert_string_equal(c.fields[1].label_en, "Équipe");
	campaign_format_field(&c.fields[1], text, sizeof(text));
	assert_string_equal(text, "equipe=choice:oui|non|en projet;Équipe");
	/* Without one: the key, as before. */
	assert_int_equal(campaign_set_field(&c, "effectif=number", &err), 0);
	campaign_format_field(&c.fields[2], text, sizeof(text));
	assert_string_equal(text, "effectif=number");
	campaign_field_labels_text(&c.fields[2], text, sizeof(text));
	assert_string_equal(text, "effectif");
	campaign_field_labels_read(&c.fields[2], "effectif");
	assert_string_equal(c.fields[2].label_fr, "");
	assert_int_equal(campaign_set_field(&c, "budget=number;", &err), TP_EUSAGE);
	assert_string_equal(err.reason, "'budget=number;': a label has 1 to 95 bytes");
	campaign_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_field_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
