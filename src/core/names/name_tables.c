/* The matcher's fixed word lists: name particles, titles, legal forms,
 * organisation stop words and the groups of very common names with their
 * spellings (docs/matching.md lists them and says why each is there). */
#include "match_int.h"

#include <string.h>

#define VG__W_ABJAD 0x10 /* only for tokens from Arabic script ("mhmd") */

/* Sorted by text (strcmp), as vg__word_find bisects; test_match_norm
 * checks the order. One text may have several rows, told apart by flags. */
static const struct vg__word words[] = {
    {"ab", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"abd", NULL, VG_SYM_ABD, 0, 0},
    {"abdal", "abd", VG_SYM_ABD, 0, 0},
    {"abdalla", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdallah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdallh", NULL, VG_SYM_NONE, 4, VG__W_PERSON | VG__W_ABJAD},
    {"abdar", "abd", VG_SYM_ABD, 0, 0},
    {"abdel", "abd", VG_SYM_ABD, 0, 0},
    {"abdellah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdillah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdoel", "abd", VG_SYM_ABD, 0, 0},
    {"abdol", "abd", VG_SYM_ABD, 0, 0},
    {"abdollah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdou", "abd", VG_SYM_ABD, 0, 0},
    {"abdoul", "abd", VG_SYM_ABD, 0, 0},
    {"abdoulah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdoullah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdu", "abd", VG_SYM_ABD, 0, 0},
    {"abdul", "abd", VG_SYM_ABD, 0, 0},
    {"abdulahi", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdulla", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdullah", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdullahi", NULL, VG_SYM_NONE, 4, VG__W_PERSON},
    {"abdur", "abd", VG_SYM_ABD, 0, 0},
    {"abdus", "abd", VG_SYM_ABD, 0, 0},
    {"abn", "bin", VG_SYM_BIN, 0, VG__W_ABJAD},
    {"abo", "abu", VG_SYM_ABU, 0, 0},
    {"abou", "abu", VG_SYM_ABU, 0, 0},
    {"abrahym", NULL, VG_SYM_NONE, 7, VG__W_PERSON | VG__W_ABJAD},
    {"abu", NULL, VG_SYM_ABU, 0, 0},
    {"abw", "abu", VG_SYM_ABU, 0, VG__W_ABJAD},
    {"achmad", NULL, VG_SYM_NONE, 2, VG__W_PERSON},
    {"ad", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"adh", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"admiral", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"ag", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"ahmad", NULL, VG_SYM_NONE, 2, VG__W_PERSON},
    {"ahmd", NULL, VG_SYM_NONE, 2, VG__W_PERSON | VG__W_ABJAD},
    {"ahmed", NULL, VG_SYM_NONE, 2, VG__W_PERSON},
    {"ahmet", NULL, VG_SYM_NONE, 2, VG__W_PERSON},
    {"akhmed", NULL, VG_SYM_NONE, 2, VG__W_PERSON},
    {"aktiengesellschaft", "ag", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"al", NULL, VG_SYM_AL, 0, 0},
    {"alhadji", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"alhaji", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"ali", NULL, VG_SYM_NONE, 3, VG__W_PERSON},
    {"aliy", NULL, VG_SYM_NONE, 3, VG__W_PERSON},
    {"aly", NULL, VG_SYM_NONE, 3, VG__W_PERSON},
    {"an", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"and", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"ao", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"ar", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"as", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"ash", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"at", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"ath", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"az", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"bak", NULL, VG_SYM_NONE, 19, VG__W_PERSON},
    {"bd", "abd", VG_SYM_ABD, 0, VG__W_ABJAD},
    {"bdallh", NULL, VG_SYM_NONE, 4, VG__W_PERSON | VG__W_ABJAD},
    {"ben", "bin", VG_SYM_BIN, 0, VG__W_NOTFIRST},
    {"bent", "bint", VG_SYM_BINT, 0, 0},
    {"bhd", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"bin", NULL, VG_SYM_BIN, 0, 0},
    {"bint", NULL, VG_SYM_BINT, 0, 0},
    {"binti", "bint", VG_SYM_BINT, 0, 0},
    {"bn", "bin", VG_SYM_BIN, 0, 0},
    {"bnt", "bint", VG_SYM_BINT, 0, VG__W_ABJAD},
    {"brahim", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"brigadier", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"bv", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"capt", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"captain", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"cheikh", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"chen", NULL, VG_SYM_NONE, 23, VG__W_PERSON},
    {"choe", NULL, VG_SYM_NONE, 20, VG__W_PERSON},
    {"choi", NULL, VG_SYM_NONE, 20, VG__W_PERSON},
    {"cjsc", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"co", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"col", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"colonel", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"company", "co", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"corp", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"corporation", "corp", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"da", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"da", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"dame", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"das", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"das", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"de", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"de", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"del", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"del", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"della", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"den", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"der", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"der", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"des", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"di", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"di", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"die", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"do", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"doctor", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"dos", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"dr", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"du", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"du", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"ebrahim", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"ed", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"el", "al", VG_SYM_AL, 0, 0},
    {"et", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"for", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"frau", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"gen", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"general", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"gim", NULL, VG_SYM_NONE, 17, VG__W_PERSON},
    {"gmbh", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"hadji", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"haji", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"hajji", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"hasan", NULL, VG_SYM_NONE, 5, VG__W_PERSON},
    {"hasen", NULL, VG_SYM_NONE, 5, VG__W_PERSON},
    {"hassan", NULL, VG_SYM_NONE, 5, VG__W_PERSON},
    {"herr", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"hosein", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hossein", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"houssein", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hsn", NULL, VG_SYM_NONE, 5, VG__W_PERSON | VG__W_ABJAD},
    {"hsyn", NULL, VG_SYM_NONE, 6, VG__W_PERSON | VG__W_ABJAD},
    {"husain", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"husayn", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"husein", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hussain", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hussayn", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hussein", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"hussien", NULL, VG_SYM_NONE, 6, VG__W_PERSON},
    {"ibn", "bin", VG_SYM_BIN, 0, 0},
    {"ibnu", "bin", VG_SYM_BIN, 0, 0},
    {"ibragim", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"ibraheem", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"ibrahim", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"ibrahym", NULL, VG_SYM_NONE, 7, VG__W_PERSON | VG__W_ABJAD},
    {"ibrohim", NULL, VG_SYM_NONE, 7, VG__W_PERSON},
    {"inc", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"incorporated", "inc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"jsc", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"kft", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"kg", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"khald", NULL, VG_SYM_NONE, 13, VG__W_PERSON | VG__W_ABJAD},
    {"khaled", NULL, VG_SYM_NONE, 13, VG__W_PERSON},
    {"khalid", NULL, VG_SYM_NONE, 13, VG__W_PERSON},
    {"khan", NULL, VG_SYM_NONE, 10, VG__W_PERSON},
    {"kim", NULL, VG_SYM_NONE, 17, VG__W_PERSON},
    {"la", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"la", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"lady", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"las", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"le", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"lee", NULL, VG_SYM_NONE, 18, VG__W_PERSON},
    {"li", NULL, VG_SYM_NONE, 18, VG__W_PERSON},
    {"lieutenant", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"limited", "ltd", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"llc", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"llp", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"lord", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"los", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"lp", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"lt", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"ltd", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"ly", NULL, VG_SYM_NONE, 3, VG__W_PERSON | VG__W_ABJAD},
    {"madame", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"magomed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mahamat", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mahamoud", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahamud", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahmod", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahmood", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahmoud", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahmud", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mahomed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mamadou", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"maulana", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"maulavi", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"maulvi", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mawlana", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mawlawi", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mehmed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mehmet", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mehmood", NULL, VG_SYM_NONE, 11, VG__W_PERSON},
    {"mhd", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mhmd", NULL, VG_SYM_NONE, 1, VG__W_PERSON | VG__W_ABJAD},
    {"mhmwd", NULL, VG_SYM_NONE, 11, VG__W_PERSON | VG__W_ABJAD},
    {"miss", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mister", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mlle", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mme", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mochamad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mochammad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohamad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohamed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohamet", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohammad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohammed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohammod", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohamud", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohd", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohmad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohmed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mohmmad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mollah", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"monsieur", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mostafa", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"mostapha", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"mouhamad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mouhamadou", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mouhamed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mouhammad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"moulavi", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"moustafa", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"moustfa", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"mr", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mr", NULL, VG_SYM_NONE, 8, VG__W_PERSON | VG__W_ABJAD},
    {"mrs", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"ms", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mstfy", NULL, VG_SYM_NONE, 12, VG__W_PERSON | VG__W_ABJAD},
    {"muhamad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"muhamed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"muhamma", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"muhammad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"muhammadu", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"muhammed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mukhamed", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mukhammad", NULL, VG_SYM_NONE, 1, VG__W_PERSON},
    {"mulla", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mullah", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"mustafa", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"mustapha", NULL, VG_SYM_NONE, 12, VG__W_PERSON},
    {"nguyen", NULL, VG_SYM_NONE, 24, VG__W_PERSON},
    {"noor", NULL, VG_SYM_NONE, 16, VG__W_PERSON},
    {"nour", NULL, VG_SYM_NONE, 16, VG__W_PERSON},
    {"nur", NULL, VG_SYM_NONE, 16, VG__W_PERSON},
    {"nuri", NULL, VG_SYM_NONE, 16, VG__W_PERSON},
    {"nv", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"oao", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"of", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"ojsc", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"omar", NULL, VG_SYM_NONE, 8, VG__W_PERSON},
    {"omer", NULL, VG_SYM_NONE, 8, VG__W_PERSON},
    {"ooo", "llc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"osman", NULL, VG_SYM_NONE, 15, VG__W_PERSON},
    {"othman", NULL, VG_SYM_NONE, 15, VG__W_PERSON},
    {"ould", NULL, VG_SYM_OULD, 0, 0},
    {"oum", "umm", VG_SYM_UMM, 0, 0},
    {"oumar", NULL, VG_SYM_NONE, 8, VG__W_PERSON},
    {"ousmane", NULL, VG_SYM_NONE, 15, VG__W_PERSON},
    {"oy", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"pak", NULL, VG_SYM_NONE, 19, VG__W_PERSON},
    {"pao", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"park", NULL, VG_SYM_NONE, 19, VG__W_PERSON},
    {"pjsc", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"plc", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"prasident", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"president", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"prof", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"professor", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"pt", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"pte", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"pty", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"rhee", NULL, VG_SYM_NONE, 18, VG__W_PERSON},
    {"ri", NULL, VG_SYM_NONE, 18, VG__W_PERSON},
    {"sa", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"sae", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"sarl", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"sas", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"sayed", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"sayid", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"sayyed", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"sayyid", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"se", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"seyed", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"seyyed", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"sgt", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"shaikh", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"shaykh", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"sheik", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"sheikh", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"sir", NULL, VG_SYM_TITLE, 0, VG__W_PERSON},
    {"sl", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"spa", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"spzoo", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"srl", NULL, VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"syd", NULL, VG_SYM_NONE, 14, VG__W_PERSON | VG__W_ABJAD},
    {"syed", NULL, VG_SYM_NONE, 14, VG__W_PERSON},
    {"ten", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"ter", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"the", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"thman", NULL, VG_SYM_NONE, 15, VG__W_PERSON | VG__W_ABJAD},
    {"ud", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"ul", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"umar", NULL, VG_SYM_NONE, 8, VG__W_PERSON},
    {"umm", NULL, VG_SYM_UMM, 0, 0},
    {"und", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"ur", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"us", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"ush", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"usman", NULL, VG_SYM_NONE, 15, VG__W_PERSON},
    {"ut", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"uthman", NULL, VG_SYM_NONE, 15, VG__W_PERSON},
    {"uz", "al", VG_SYM_AL, 0, VG__W_HYPHEN},
    {"van", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"von", NULL, VG_SYM_PARTICLE, 0, VG__W_PERSON},
    {"walad", "ould", VG_SYM_OULD, 0, 0},
    {"wang", NULL, VG_SYM_NONE, 21, VG__W_PERSON},
    {"wld", "ould", VG_SYM_OULD, 0, VG__W_ABJAD},
    {"wuld", "ould", VG_SYM_OULD, 0, 0},
    {"y", NULL, VG_SYM_STOP, 0, VG__W_ENTITY},
    {"yi", NULL, VG_SYM_NONE, 18, VG__W_PERSON},
    {"yosef", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yousef", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yousif", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"youssef", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yousuf", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yusef", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yusif", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yussuf", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"yusuf", NULL, VG_SYM_NONE, 9, VG__W_PERSON},
    {"ywsf", NULL, VG_SYM_NONE, 9, VG__W_PERSON | VG__W_ABJAD},
    {"zao", "jsc", VG_SYM_LEGAL, 0, VG__W_ENTITY},
    {"zhang", NULL, VG_SYM_NONE, 22, VG__W_PERSON},
};
static const char *const group_names[] = {
    "",        "muhammad", "ahmad", "ali",   "abdullah", "hasan",   "husayn",
    "ibrahim", "umar",     "yusuf", "khan",  "mahmud",   "mustafa", "khalid",
    "sayyid",  "uthman",   "nur",   "kim",   "lee",      "park",    "choe",
    "wang",    "zhang",    "chen",  "nguyen"};

/* Evidence weight of each group: Muhammad is by far the most frequent
 * name on the lists (12 spellings on the UN list alone); the other groups
 * are frequent given names, or family names shared by a large part of a
 * population. */
float vg__group_weight(uint8_t group)
{
	if (group == 1)
		return 0.3f;
	if (group >= 2 && group <= 6)
		return 0.5f;
	return group ? 0.6f : 1.0f;
}

const char *vg__group_name(uint8_t group)
{
	if (group >= sizeof(group_names) / sizeof(group_names[0]))
		return "";
	return group_names[group];
}

static int cmp_text(const char *text, size_t len, const char *w)
{
	int c = strncmp(text, w, len);
	if (c)
		return c;
	return w[len] ? -1 : 0;
}

int vg__word_count(void)
{
	return (int)(sizeof(words) / sizeof(words[0]));
}

const char *vg__word_text(int i)
{
	return words[i].text;
}

const struct vg__word *vg__word_find(const char *text, size_t len,
                                     enum vg_person_kind kind, bool abjad)
{
	size_t lo = 0, hi = sizeof(words) / sizeof(words[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_text(text, len, words[mid].text) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct vg__word *best = NULL;
	for (size_t i = lo; i < sizeof(words) / sizeof(words[0]) &&
	                    !cmp_text(text, len, words[i].text);
	     i++) {
		const struct vg__word *w = &words[i];
		if ((w->flags & VG__W_ENTITY) && kind != VG_PERSON_ENTITY)
			continue;
		if ((w->flags & VG__W_PERSON) && kind != VG_PERSON_INDIVIDUAL)
			continue;
		if ((w->flags & VG__W_ABJAD) && !abjad)
			continue;
		/* an abjad spelling beats a Latin one ("mr" is Umar there) */
		if (!best || (w->flags & VG__W_ABJAD))
			best = w;
	}
	return best;
}

/* Legal forms written as several words, each followed by its canonical
 * form. Words are as normalisation leaves them (Cyrillic through BGN). */
static const char *const phrases[][2] = {
    {"aktsionernoye obshchestvo", "jsc"},
    {"closed joint stock company", "jsc"},
    {"gesellschaft mit beschrankter haftung", "gmbh"},
    {"joint stock company", "jsc"},
    {"limited liability company", "llc"},
    {"limited liability partnership", "llp"},
    {"limited partnership", "lp"},
    {"obshchestvo s ogranichennoy otvetstvennostyu", "llc"},
    {"open joint stock company", "jsc"},
    {"public joint stock company", "jsc"},
    {"public limited company", "plc"},
    {"sa de cv", "sa"},
    {"sociedad anonima", "sa"},
    {"societa a responsabilita limitata", "srl"},
    {"societatea cu raspundere limitata", "srl"},
    {"societe anonyme", "sa"},
    {"sp z o o", "spzoo"},
    {"sp z oo", "spzoo"},
};

const char *vg__legal_phrase(const char *const *words_, size_t n, size_t i,
                             size_t *nwords)
{
	const char *best = NULL;
	size_t best_n = 0;
	for (size_t p = 0; p < sizeof(phrases) / sizeof(phrases[0]); p++) {
		const char *s = phrases[p][0];
		size_t k = i;
		while (k < n) {
			size_t l = strlen(words_[k]);
			if (strncmp(s, words_[k], l) || (s[l] && s[l] != ' '))
				break;
			k++;
			s += l;
			if (!*s)
				break;
			s++;
		}
		if (!*s && k - i > best_n) {
			best = phrases[p][1];
			best_n = k - i;
		}
	}
	*nwords = best_n;
	return best;
}
