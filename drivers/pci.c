/*
 * PCI configuration access. Sizing a BAR briefly writes all ones to it, so
 * it runs with interrupts off (all kernel code does).
 */
#include "pci.h"

#include "kernel/cpu.h"

#define PCI_ADDRESS 0xCF8
#define PCI_DATA 0xCFC
#define PCI_ENABLE 0x80000000u
#define PCI_ID 0x00
#define PCI_CLASS 0x08 /* revision, then programming interface, subclass, base class */
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10
#define BAR_IO 0x1u
#define BAR_TYPE_MASK 0x6u
#define BAR_ADDRESS_MASK 0xFFFFFFF0u

static uint32_t config_address(struct pci_location at, uint8_t offset)
{
    return PCI_ENABLE | (uint32_t)at.bus << 16 | (uint32_t)at.device << 11 |
           (uint32_t)at.function << 8 | (offset & 0xFCu);
}

uint32_t pci_read32(struct pci_location at, uint8_t offset)
{
    outl(PCI_ADDRESS, config_address(at, offset));
    return inl(PCI_DATA);
}

void pci_write32(struct pci_location at, uint8_t offset, uint32_t value)
{
    outl(PCI_ADDRESS, config_address(at, offset));
    outl(PCI_DATA, value);
}

/* Functions beyond 0 exist only on multi-function devices. */
static int function_count(struct pci_location at)
{
    return (pci_read32(at, PCI_HEADER_TYPE & 0xFC) >> 16) & 0x80 ? 8 : 1;
}

/* The first function for which matches(at, wanted) holds. */
static bool find_function(bool (*matches)(struct pci_location at, uint32_t wanted),
                          uint32_t wanted, struct pci_location *found)
{
    for (int bus = 0; bus < 256; bus++) {
        for (int dev = 0; dev < 32; dev++) {
            struct pci_location at = { (uint8_t)bus, (uint8_t)dev, 0 };
            if ((pci_read32(at, PCI_ID) & 0xFFFF) == 0xFFFF)
                continue;
            for (int fn = function_count(at) - 1; fn >= 0; fn--) {
                at.function = (uint8_t)fn;
                if (matches(at, wanted)) {
                    *found = at;
                    return true;
                }
            }
        }
    }
    return false;
}

static bool has_id(struct pci_location at, uint32_t id)
{
    return pci_read32(at, PCI_ID) == id;
}

static bool has_class(struct pci_location at, uint32_t base_class)
{
    return pci_read32(at, PCI_CLASS) >> 24 == base_class;
}

bool pci_find(uint16_t vendor, uint16_t device, struct pci_location *found)
{
    return find_function(has_id, (uint32_t)device << 16 | vendor, found);
}

bool pci_find_class(uint8_t base_class, struct pci_location *found)
{
    return find_function(has_class, base_class, found);
}

bool pci_memory_bar(struct pci_location at, int index, uint32_t *base, uint32_t *size)
{
    uint8_t offset = (uint8_t)(PCI_BAR0 + 4 * index);
    uint32_t original = pci_read32(at, offset);
    if ((original & BAR_IO) || (original & BAR_TYPE_MASK) != 0)
        return false;
    pci_write32(at, offset, 0xFFFFFFFFu);
    uint32_t probe = pci_read32(at, offset);
    pci_write32(at, offset, original);
    *base = original & BAR_ADDRESS_MASK;
    *size = ~(probe & BAR_ADDRESS_MASK) + 1;
    return *base != 0 && (probe & BAR_ADDRESS_MASK) != 0;
}
