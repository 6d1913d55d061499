/*
 * The C string and memory functions the kernel provides for itself (and
 * that the compiler may call on its own for struct copies and clears).
 */
#pragma once

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* The first c in s (its terminator when c is 0), or NULL. */
char *strchr(const char *s, int c);
/* The first occurrence of needle in haystack, or NULL. */
char *strstr(const char *haystack, const char *needle);
