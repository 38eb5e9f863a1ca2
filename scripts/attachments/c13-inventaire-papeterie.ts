import { xlsx, type AttachmentGenerator, type SheetCell } from './lib';

/**
 * A shop's stock list as an .xlsx workbook. Challenge c13-trifiltre-4-b asks for the most expensive
 * stationery item still in stock: filter on category and stock, then sort by price.
 */

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Each product has a realistic price range (euros), so the sheet reads like a real shop's list.
const CATALOGUE: Record<string, [name: string, low: number, high: number][]> = {
  Papeterie: [
    ['Cahier grand format', 2, 5],
    ['Cartable à roulettes', 40, 60],
    ['Agenda scolaire', 6, 14],
    ['Stylo plume', 15, 30],
    ['Trousse garnie', 12, 25],
    ['Carnet de croquis', 4, 12],
    ['Pochette de feutres', 3, 9],
    ['Calculatrice collège', 15, 22],
    ['Compas avec étui', 4, 10],
    ['Classeur à levier', 2, 6],
  ],
  Informatique: [
    ['Clé USB 64 Go', 8, 15],
    ['Souris sans fil', 10, 25],
    ['Casque audio', 20, 45],
    ['Câble USB-C', 5, 12],
    ['Clavier compact', 20, 40],
  ],
  Jeux: [
    ['Puzzle 1000 pièces', 10, 20],
    ['Jeu de cartes', 3, 8],
    ['Jeu de plateau', 20, 40],
    ['Ballon en mousse', 4, 10],
  ],
};

interface Item {
  ref: string;
  produit: string;
  categorie: string;
  prix: number;
  stock: number;
}

function items(): Item[] {
  const rand = mulberry32(42);
  const out: Item[] = [];
  for (const [categorie, produits] of Object.entries(CATALOGUE)) {
    const prefix = categorie.slice(0, 3).toUpperCase();
    produits.forEach(([produit, low, high], i) => {
      out.push({
        ref: `${prefix}-${String(101 + i * 7).padStart(3, '0')}`,
        produit,
        categorie,
        prix: Math.round((low + rand() * (high - low)) * 100) / 100,
        stock: rand() < 0.3 ? 0 : 1 + Math.floor(rand() * 40),
      });
    });
  }
  // The trap that makes the filter necessary: the dearest stationery item (the wheeled school bag)
  // is out of stock, and the fountain pen is the dearest one still on the shelves.
  const byRef = (ref: string): Item => out.find((i) => i.ref === ref)!;
  Object.assign(byRef('PAP-108'), { prix: 52.9, stock: 0 });
  const pen = byRef('PAP-122');
  Object.assign(pen, { prix: 31.11, stock: Math.max(pen.stock, 3) });
  // Shuffle deterministically so the sheet is not already sorted by category.
  return out
    .map((item) => ({ item, key: rand() }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

const list = items();
const rows: SheetCell[][] = [
  ['Référence', 'Produit', 'Catégorie', 'Prix (€)', 'Stock'],
  ...list.map((i) => [i.ref, i.produit, i.categorie, i.prix, i.stock]),
];

const inStock = list
  .filter((i) => i.categorie === 'Papeterie' && i.stock > 0)
  .sort((a, b) => b.prix - a.prix);
const outOfStock = list.filter((i) => i.categorie === 'Papeterie').sort((a, b) => b.prix - a.prix);

const generator: AttachmentGenerator = [
  {
    file: '1.3/inventaire-boutique.xlsx',
    build: () =>
      xlsx([{ name: 'Stock', rows, header: true, columnWidths: [12, 24, 14, 10, 8] }], {
        title: 'Inventaire de la boutique',
        author: 'Boutique du Lycée',
        created: new Date(Date.UTC(2025, 8, 1, 9, 0, 0)),
      }),
    facts: {
      plusCherPapeterieEnStock: inStock[0]!.ref,
      prixPlusCherPapeterieEnStock: inStock[0]!.prix,
      plusCherPapeterieTous: outOfStock[0]!.ref,
      plusCherTousProduitsEnStock: list.filter((i) => i.stock > 0).sort((a, b) => b.prix - a.prix)[0]!.ref,
    },
  },
];

export default generator;
