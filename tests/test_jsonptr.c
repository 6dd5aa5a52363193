/*
 * test_jsonptr: the RFC 6901 resolver. The document and the expected
 * results in test_rfc_examples are section 5 of RFC 6901; the rest are the
 * corner cases that produced bugs in other resolvers (leading zeros, signs,
 * "-", empty tokens, size_t overflow, bad escapes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "jsonptr.h"
#include "util.h"

static const char RFC_DOC[] = "{\"foo\": [\"bar\", \"baz\"], \"\": 0, "
                              "\"a/b\": 1, \"c%d\": 2, \"e^f\": 3, "
                              "\"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, "
                              "\" \": 7, \"m~n\": 8}";

static const cJSON *
get(const cJSON *root, const char *ptr)
{
    return jsonptr_get(root, ptr, strlen(ptr));
}

static void
assert_number_at(const cJSON *root, const char *ptr, int want)
{
    const cJSON *v = get(root, ptr);
    if (!cJSON_IsNumber(v))
        fail_msg("%s: not a number", ptr);
    assert_int_equal(v->valueint, want);
}

static void
assert_string_at(const cJSON *root, const char *ptr, const char *want)
{
    const cJSON *v = get(root, ptr);
    if (!cJSON_IsString(v))
        fail_msg("%s: not a string", ptr);
    assert_string_equal(v->valuestring, want);
}

static void
assert_missing(const cJSON *root, const char *ptr)
{
    if (get(root, ptr))
        fail_msg("%s should find nothing", ptr);
}

static void
test_rfc_examples(void **state)
{
    (void)state;
    cJSON *doc = cJSON_Parse(RFC_DOC);
    assert_non_null(doc);
    assert_ptr_equal(get(doc, ""), doc);
    assert_true(cJSON_IsArray(get(doc, "/foo")));
    assert_string_at(doc, "/foo/0", "bar");
    assert_string_at(doc, "/foo/1", "baz");
    assert_number_at(doc, "/", 0);
    assert_number_at(doc, "/a~1b", 1);
    assert_number_at(doc, "/c%d", 2);
    assert_number_at(doc, "/e^f", 3);
    assert_number_at(doc, "/g|h", 4);
    assert_number_at(doc, "/i\\j", 5);
    assert_number_at(doc, "/k\"l", 6);
    assert_number_at(doc, "/ ", 7);
    assert_number_at(doc, "/m~0n", 8);
    cJSON_Delete(doc);
}

static void
test_escapes(void **state)
{
    (void)state;
    cJSON *doc =
        cJSON_Parse("{\"~1\": \"tilde-one\", \"/\": \"slash\", "
                    "\"~\": \"tilde\", \"a\": {\"b/c\": {\"~d\": 1}}}");
    assert_non_null(doc);
    /* ~01 is the member "~1", not "/" (what decoding ~0 first gives). */
    assert_string_at(doc, "/~01", "tilde-one");
    assert_string_at(doc, "/~1", "slash");
    assert_string_at(doc, "/~0", "tilde");
    assert_number_at(doc, "/a/b~1c/~0d", 1);
    /* Any other ~ is an error: nothing is found. */
    assert_missing(doc, "/~2");
    assert_missing(doc, "/~");
    assert_missing(doc, "/a~");
    assert_missing(doc, "/~a");
    /* Not a pointer at all. */
    assert_missing(doc, "a");
    assert_missing(doc, "#/a");
    cJSON_Delete(doc);
}

static void
test_members_are_exact(void **state)
{
    (void)state;
    /* cJSON_GetObjectItem would find "Title" for "title". */
    cJSON *doc = cJSON_Parse("{\"Title\": \"upper\", \"dup\": 1, "
                             "\"dup\": 2, \"obj\": {\"x\": null}}");
    assert_non_null(doc);
    assert_missing(doc, "/title");
    assert_string_at(doc, "/Title", "upper");
    assert_number_at(doc, "/dup", 1); /* the first of duplicates */
    assert_true(cJSON_IsNull(get(doc, "/obj/x")));
    assert_missing(doc, "/obj/y");
    assert_missing(doc, "/obj/x/deeper");
    assert_missing(doc, "/Title/0"); /* into a string */
    assert_missing(doc, "/dup/a");   /* into a number */
    cJSON_Delete(doc);
}

static void
test_array_indices(void **state)
{
    (void)state;
    cJSON *doc =
        cJSON_Parse("{\"a\": [10, 11, 12], \"o\": {\"0\": \"zero\", "
                    "\"01\": \"zero-one\", \"-\": \"dash\", \"\": \"empty\"}}");
    assert_non_null(doc);
    assert_number_at(doc, "/a/0", 10);
    assert_number_at(doc, "/a/2", 12);
    assert_missing(doc, "/a/3");  /* past the end */
    assert_missing(doc, "/a/-");  /* one past the end: nothing to read */
    assert_missing(doc, "/a/01"); /* leading zero */
    assert_missing(doc, "/a/00");
    assert_missing(doc, "/a/+1"); /* sign */
    assert_missing(doc, "/a/-1");
    assert_missing(doc, "/a/1e0");
    assert_missing(doc, "/a/ 1");
    assert_missing(doc, "/a/"); /* empty token is not index 0 */
    assert_missing(doc, "/a/0x1");
    /* Wrapping past SIZE_MAX must not become a small index. */
    assert_missing(doc, "/a/18446744073709551616");
    assert_missing(doc, "/a/18446744073709551617");
    assert_missing(doc, "/a/99999999999999999999999999999");
    /* On objects the same tokens are plain member names. */
    assert_string_at(doc, "/o/0", "zero");
    assert_string_at(doc, "/o/01", "zero-one");
    assert_string_at(doc, "/o/-", "dash");
    assert_string_at(doc, "/o/", "empty");
    cJSON_Delete(doc);

    size_t v;
    assert_true(jsonptr_parse_index("0", 1, &v));
    assert_int_equal(v, 0);
    assert_true(jsonptr_parse_index("18446744073709551615", 20, &v));
    assert_true(v == SIZE_MAX);
    assert_false(jsonptr_parse_index("18446744073709551616", 20, &v));
    assert_false(jsonptr_parse_index("", 0, &v));
    assert_false(jsonptr_parse_index("07", 2, &v));
    assert_false(jsonptr_parse_index("-", 1, &v));
}

static void
test_not_nul_terminated(void **state)
{
    (void)state;
    cJSON *doc = cJSON_Parse("{\"ab\": 1, \"a\": 2}");
    /* Only len bytes are read: "/ab" cut to "/a". */
    const cJSON *v = jsonptr_get(doc, "/ab", 2);
    assert_true(cJSON_IsNumber(v));
    assert_int_equal(v->valueint, 2);
    /* An embedded NUL is never part of a member name. */
    assert_null(jsonptr_get(doc, "/a\0b", 4));
    assert_null(jsonptr_get(NULL, "/a", 2));
    cJSON_Delete(doc);

    /* A long member name (past the resolver's stack buffer). */
    char *name = xmalloc(1001);
    memset(name, 'n', 1000);
    name[1000] = '\0';
    char *text = xasprintf("{\"%s\": {\"x\": 3}}", name);
    char *ptr = xasprintf("/%s/x", name);
    doc = cJSON_Parse(text);
    v = get(doc, ptr);
    assert_true(cJSON_IsNumber(v));
    assert_int_equal(v->valueint, 3);
    cJSON_Delete(doc);
    free(ptr);
    free(text);
    free(name);
}

static void
test_deep_document(void **state)
{
    (void)state;
    /* 900 levels: within cJSON's limit; the resolver walks, never
     * recurses. */
    Buf doc, ptr;
    buf_init(&doc);
    buf_init(&ptr);
    for (int i = 0; i < 900; i++) {
        buf_appends(&doc, "{\"k\":");
        buf_appends(&ptr, "/k");
    }
    buf_appends(&doc, "7");
    for (int i = 0; i < 900; i++)
        buf_appends(&doc, "}");
    cJSON *root = cJSON_Parse(doc.data);
    assert_non_null(root);
    assert_number_at(root, ptr.data, 7);
    cJSON_Delete(root);
    buf_deinit(&doc);
    buf_deinit(&ptr);
}

static void
check_syntax(const char *ptr, const char *want_error)
{
    char err[160] = "";
    bool ok = jsonptr_check(ptr, strlen(ptr), err, sizeof(err));
    if (!want_error) {
        if (!ok)
            fail_msg("'%s' refused: %s", ptr, err);
        return;
    }
    if (ok)
        fail_msg("'%s' accepted, want \"%s\"", ptr, want_error);
    if (!strstr(err, want_error))
        fail_msg("'%s': \"%s\" lacks \"%s\"", ptr, err, want_error);
}

static void
test_check(void **state)
{
    (void)state;
    check_syntax("", NULL);
    check_syntax("/", NULL);
    check_syntax("/a/0/~0/~1//x", NULL);
    check_syntax("a/b", "must start with '/'");
    check_syntax("#/a", "must start with '/'");
    check_syntax("/a~2", "'~2' is not an escape");
    check_syntax("/a~", "is not an escape");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_examples),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_members_are_exact),
        cmocka_unit_test(test_array_indices),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_deep_document),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests_name("jsonptr", tests, NULL, NULL);
}
