/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Old name of backend.h, kept only until instance.c includes backend.h
 * (requested of its owner); nothing new includes it.
 */
#include "backend.h"
