import type { MessageSet } from '../index';

export const common: MessageSet = {
  fr: {
    'app.name': 'Pix LTI',
    'app.skip': 'Aller au contenu',
    'app.footer': 'Outil libre d’évaluation et de formation aux compétences numériques',
    'error.generic.title': 'Une erreur est survenue',
    'error.generic.body':
      'Réessayez dans un instant. Si le problème continue, contactez l’administrateur de votre plateforme.',
    'error.notfound.title': 'Page introuvable',
    'error.notfound.body': 'Cette adresse ne correspond à aucune page de l’outil.',
    'error.code': 'Code de l’erreur : {code}',
    'error.reference': 'Référence : {id}',
  },
  en: {
    'app.name': 'Pix LTI',
    'app.skip': 'Skip to content',
    'app.footer': 'Open-source tool to assess and develop digital skills',
    'error.generic.title': 'Something went wrong',
    'error.generic.body':
      'Try again in a moment. If the problem persists, contact your platform administrator.',
    'error.notfound.title': 'Page not found',
    'error.notfound.body': 'This address does not match any page of the tool.',
    'error.code': 'Error code: {code}',
    'error.reference': 'Reference: {id}',
  },
};
