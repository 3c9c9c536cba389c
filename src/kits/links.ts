/** Where a stored kit is published by kitbridge: its page, and its image by content hash. */
export const kitPath = (kitId: string) => `/products/${encodeURIComponent(kitId)}`;
export const imagePath = (imageName: string) => `/images/${encodeURIComponent(imageName)}`;
