/*
 * PCI configuration space through mechanism #1 (ports 0xCF8/0xCFC).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pci_location {
    uint8_t bus, device, function;
};

uint32_t pci_read32(struct pci_location at, uint8_t offset);
void pci_write32(struct pci_location at, uint8_t offset, uint32_t value);

/* The first function with this vendor and device id; false if none. */
bool pci_find(uint16_t vendor, uint16_t device, struct pci_location *at);

/* The first function of this base class (0x03: display); false if none. */
bool pci_find_class(uint8_t base_class, struct pci_location *at);

/* A 32-bit memory BAR (index 0..5): its base and size; false for an I/O
 * BAR, a 64-bit one, or one that is not assigned. */
bool pci_memory_bar(struct pci_location at, int index, uint32_t *base, uint32_t *size);
