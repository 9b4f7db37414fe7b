export function newestMtime(path: string, skip?: string[]): number;
export function isStale(root: string, output: string, sources: string[], skip?: string[]): boolean;
