/* The tables of a hub, as every backend copies them (copy.h). */
#include "vigil/store/copy.h"

const struct vg_store_table vg_store_tables[] = {
    {"hub", "key,value", "tt", "key"},
    {"orgs", "id,name,identity,created", "itti", "id"},
    {"users", "id,name,org,role,clearance,disabled,created", "itiiiii", "id"},
    {"keys", "id,\"user\",hash,created,expires,revoked", "tibiii", "id"},
    {"groups", "id,name,created", "iti", "id"},
    {"group_members", "grp,org", "ii", "grp,org"},
    {"collections", "id,alias,title,description,scope,org,grp,position",
     "ttttiiii", "position,id"},
    {"status", "id,\"user\",created,json", "tiit", "id"},
    {"audit",
     "seq,ts,actor,org,action,target,detail,source,purpose,prev,hash,auth",
     "iititttttbbt", "seq"},
    {"checkpoints", "seq,head,ts,sig", "ibib", "seq"},
    {"screen_runs",
     "id,created,actor,org,source,format,travellers,hits,threshold,"
     "travellers_json",
     "titittiirt", "id"},
    {"screen_hits",
     "run,n,traveller,entry,list,ref,score,explanation,disposition,"
     "disposed_by,disposed_at,note",
     "tiitttrtitit", "run,n"},
    {"owners", "id,owner", "ti", "id"},
    {"objects",
     "date_added,id,version,type,created,modified,spec_version,revoked,"
     "owner,scope,tlp,classification,latest,collection,grp,copy,json",
     "ittttttiiiiiitiit", "date_added"},
    {0},
};
