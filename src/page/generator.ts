// How a page callscrub wrote names its maker, in its head: `report html` replaces a file only when it begins so.

export const generatorMeta = '<meta name="generator" content="callscrub';
