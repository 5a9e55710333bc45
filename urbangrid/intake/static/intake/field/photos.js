// Photos are made smaller on the phone before they are queued: a camera's 12-megapixel JPEG
// would take minutes on a weak signal, and 1600 px is plenty to see the problem.

const LONGEST_SIDE = 1600;
const QUALITY = 0.8;

export async function shrink(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return file; // not an image the phone can read: the server says what is wrong with it
  }
  const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob || file), "image/jpeg", QUALITY));
}

export const shrinkAll = (files) => Promise.all(Array.from(files, shrink));

export function thumbnails(container, blobs, onRemove) {
  container.replaceChildren();
  blobs.forEach((blob, i) => {
    const figure = document.createElement("figure");
    const img = document.createElement("img");
    img.src = URL.createObjectURL(blob);
    img.onload = () => URL.revokeObjectURL(img.src);
    figure.append(img);
    if (onRemove) {
      const x = document.createElement("button");
      x.type = "button";
      x.textContent = "×";
      x.addEventListener("click", () => onRemove(i));
      figure.append(x);
    }
    container.append(figure);
  });
}
