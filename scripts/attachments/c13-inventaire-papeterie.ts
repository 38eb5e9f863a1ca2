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

const CATALOGUE: Record<string, string[]> = {
  Papeterie: [
    'Cahier grand format',
    'Classeur à levier',
    'Agenda scolaire',
    'Stylo plume',
    'Trousse garnie',
    'Carnet de croquis',
    'Pochette de feutres',
    'Calculatrice collège',
    'Compas avec étui',
    'Cartable léger',
  ],
  Informatique: ['Clé USB 64 Go', 'Souris sans fil', 'Casque audio', 'Câble USB-C', 'Clavier compact'],
  Jeux: ['Puzzle 1000 pièces', 'Jeu de cartes', 'Jeu de plateau', 'Ballon en mousse'],
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
    produits.forEach((produit, i) => {
      out.push({
        ref: `${prefix}-${String(101 + i * 7).padStart(3, '0')}`,
        produit,
        categorie,
        prix: Math.round((3 + rand() * 45) * 100) / 100,
        stock: rand() < 0.3 ? 0 : 1 + Math.floor(rand() * 40),
      });
    });
  }
  // The most expensive stationery item is out of stock: the trap that makes the filter necessary.
  const papeterie = out.filter((i) => i.categorie === 'Papeterie').sort((a, b) => b.prix - a.prix);
  papeterie[0]!.stock = 0;
  papeterie[0]!.prix = 52.9;
  papeterie[1]!.stock = Math.max(papeterie[1]!.stock, 3);
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
