/*
 * schema: the table schema wy-check validates against, read from a TSV
 * file (one row per field, as an office keeps it in a spreadsheet) or from
 * a Frictionless Table Schema JSON file (with jansson).
 *
 * TSV: a header naming some of the columns field, type, required, unique,
 * minimum, maximum, minLength, maxLength, pattern, enum, missing (in any
 * order; only field is needed; title, description, example and comment are
 * ignored, any other column is an error so that a misspelt one is not
 * silently dropped; a row may leave out empty cells at its end).  enum
 * and missing separate their values with |.
 * JSON: fields[].name, type, constraints{required, unique, minimum,
 * maximum, minLength, maxLength, pattern, enum}, missingValues (of the
 * table, or of a field), primaryKey (a name or a list).  Numbers are read
 * from the JSON text exactly, never through a double.
 *
 * Every bound is checked against the field's type when the schema is
 * read, and a bad schema names where: "s.tsv:4: column maximum: not a
 * number: \"abc\"", "s.json: fields[2] (人数): constraints.maximum: ...".
 */
#ifndef WY_SCHEMA_H
#define WY_SCHEMA_H

#include <stddef.h>

#include "pattern.h"
#include "util.h"
#include "value.h"

/* A schema file longer than this is an error. */
#define SCHEMA_MAXBYTES (16u << 20)

struct schema_field {
	char *name;
	enum value_type type;
	int required, unique;
	int hasmin, hasmax;
	struct value min, max;
	char *mintext, *maxtext; /* the bounds as the schema writes them */
	long minlen, maxlen;	 /* in characters; -1: none */
	char *pattern;		 /* NULL: none */
	struct pattern pat;	 /* compiled, when pattern != NULL */
	char **enums;		 /* the allowed values as written ... */
	struct value *enumv;	 /* ... and read in the field's type */
	size_t nenum;		 /* 0: no enum */
	char **missing;		 /* this field's own null markers */
	size_t nmissing;
	long line; /* TSV: its line; JSON: its index in fields[] */
};

struct schema {
	struct schema_field *f;
	size_t nf;
	char **missing; /* null markers of every field: [""] unless JSON says */
	size_t nmissing;
	char **key; /* primaryKey (JSON), or NULL */
	size_t nkey;
};

/*
 * Is path a JSON schema (it ends in .json)?
 */
int schema_is_json(const char *path);

/*
 * Read a schema from fd (not closed), TSV or JSON; name is for messages.
 * Returns 0 with *s filled (free with schema_free), or -1 with e set:
 * WY_EXIT_USAGE for a bad schema, WY_EXIT_IO for a read error or no memory.
 * Patterns are compiled (lib/pattern.h) in the current locale: wy-check
 * runs in C.UTF-8, so that . is a character, not a byte.
 */
int schema_read_tsv(int fd, const char *name, struct schema *s, struct wy_err *e);
int schema_read_json(int fd, const char *name, struct schema *s, struct wy_err *e);

/* The field named name[0..len), or NULL. */
const struct schema_field *schema_find(const struct schema *s, const char *name,
    size_t len);

void schema_free(struct schema *s);

#endif
