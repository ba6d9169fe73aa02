// Types for the deep imports of `natural` we use. Its main entry loads storage adapters that run
// dotenv on import (see docs/engineering notes), so we import single modules instead.
declare module 'natural/lib/natural/stemmers/porter_stemmer_no.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/util/stopwords_no.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords.js' {
  export const words: string[];
}
declare module 'natural/lib/natural/tfidf/tfidf.js' {
  export default class TfIdf {
    addDocument(document: string | string[], key?: unknown): void;
    tfidfs(terms: string | string[], callback?: (index: number, measure: number, key?: unknown) => void): number[];
  }
}
